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
