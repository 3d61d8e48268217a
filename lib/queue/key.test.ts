import { describe, expect, it } from "vitest";
import { queueKeyFrom } from "./app-queue";

const AUTH_SECRET = "a".repeat(32);

describe("the key that signs places in a queue", () => {
  it("is QUEUE_HMAC_KEY when set", () => {
    expect(queueKeyFrom({ QUEUE_HMAC_KEY: "q".repeat(32), AUTH_SECRET })).toBe("q".repeat(32));
  });

  it("is derived from AUTH_SECRET otherwise: the same on every instance, never the secret itself", () => {
    const key = queueKeyFrom({ QUEUE_HMAC_KEY: undefined, AUTH_SECRET });
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(key).not.toContain(AUTH_SECRET);
    expect(queueKeyFrom({ QUEUE_HMAC_KEY: undefined, AUTH_SECRET })).toBe(key);
    expect(queueKeyFrom({ QUEUE_HMAC_KEY: undefined, AUTH_SECRET: "b".repeat(32) })).not.toBe(key);
  });

  it("is missing only when neither is set", () => {
    expect(queueKeyFrom({ QUEUE_HMAC_KEY: undefined, AUTH_SECRET: undefined })).toBeNull();
  });
});
