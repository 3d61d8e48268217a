import { describe, expect, it } from "vitest";
import { checkServerActionsKey, parseEnv } from "./env";

const base = {
  NODE_ENV: "production",
  DATABASE_URL: "postgresql://localhost/guichet",
  REGISTRATION_CHALLENGE: "off",
} as const;
const key = Buffer.alloc(32, 7).toString("base64");

describe("the server actions' encryption key", () => {
  it("is required when APP_URL is https, with a message saying how to make one", () => {
    const https = { ...base, APP_URL: "https://tickets.example.org" };
    const missing = /NEXT_SERVER_ACTIONS_ENCRYPTION_KEY: is required when APP_URL is https.*openssl rand -base64 32/;
    expect(() => parseEnv(https)).toThrow(missing);
    expect(() => checkServerActionsKey(https)).toThrow(missing);
    expect(parseEnv({ ...https, NEXT_SERVER_ACTIONS_ENCRYPTION_KEY: key }).NEXT_SERVER_ACTIONS_ENCRYPTION_KEY).toBe(
      key,
    );
    expect(() => checkServerActionsKey({ ...https, NEXT_SERVER_ACTIONS_ENCRYPTION_KEY: key })).not.toThrow();
  });

  it("is optional over http (a local run, the tests)", () => {
    expect(parseEnv({ ...base, APP_URL: "http://localhost:3000" }).NEXT_SERVER_ACTIONS_ENCRYPTION_KEY).toBeUndefined();
    expect(() => checkServerActionsKey({ APP_URL: "http://localhost:3000" })).not.toThrow();
    expect(() => checkServerActionsKey({})).not.toThrow();
  });

  it("must be 32 bytes in standard base64", () => {
    const wrong = [Buffer.alloc(16, 7).toString("base64"), Buffer.alloc(32, 7).toString("base64url"), "x".repeat(44)];
    for (const value of wrong) {
      expect(() => parseEnv({ ...base, NEXT_SERVER_ACTIONS_ENCRYPTION_KEY: value }), value).toThrow(
        /NEXT_SERVER_ACTIONS_ENCRYPTION_KEY: must be 32 bytes in base64/,
      );
      expect(() => checkServerActionsKey({ NEXT_SERVER_ACTIONS_ENCRYPTION_KEY: value }), value).toThrow(
        /must be 32 bytes in base64/,
      );
    }
  });
});

describe("the previous ticket keys", () => {
  const x = Buffer.alloc(32, 9).toString("base64url");

  it("reads comma-separated <JWK x>@<YYYY-MM-DD>", () => {
    expect(parseEnv(base).TICKET_PREVIOUS_KEYS).toBeUndefined();
    expect(
      parseEnv({ ...base, TICKET_PREVIOUS_KEYS: `${x}@2027-05-21, ${x}@2027-06-30` }).TICKET_PREVIOUS_KEYS,
    ).toEqual([
      { x, lastDay: "2027-05-21" },
      { x, lastDay: "2027-06-30" },
    ]);
  });

  it("refuses anything else at start-up, naming the entry and the format", () => {
    for (const entry of [`${x}`, `${x}@21/05/2027`, `${x}@2027-02-30`, `${x.slice(1)}@2027-05-21`, `pem@2027-05-21`]) {
      expect(() => parseEnv({ ...base, TICKET_PREVIOUS_KEYS: entry }), entry).toThrow(
        `TICKET_PREVIOUS_KEYS: "${entry}" is not <public key (JWK x)>@<YYYY-MM-DD>`,
      );
    }
    const four = Array.from({ length: 4 }, () => `${x}@2027-05-21`).join(",");
    expect(() => parseEnv({ ...base, TICKET_PREVIOUS_KEYS: four })).toThrow(
      "TICKET_PREVIOUS_KEYS: holds 4 keys: at most 3",
    );
  });
});
