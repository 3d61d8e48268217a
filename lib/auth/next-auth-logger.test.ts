import { afterEach, describe, expect, it } from "vitest";
import { captureLog } from "@/devtools/testing/log-capture";
import { nextAuthLogger } from "./next-auth-logger";

let capture: ReturnType<typeof captureLog> | undefined;
afterEach(() => capture?.restore());

describe("nextAuthLogger", () => {
  it("writes next-auth's reports as JSON lines, the address it was given scrubbed", () => {
    capture = captureLog();
    const error = new Error("no user for ada@example.org");
    nextAuthLogger.error("SIGNIN_EMAIL_ERROR", { error, providerId: "email", message: error.message });
    nextAuthLogger.error("JWT_SESSION_ERROR", new Error("decryption failed"));
    nextAuthLogger.warn("NEXTAUTH_URL");
    expect(capture.lines()).toMatchObject([
      { level: 50, code: "SIGNIN_EMAIL_ERROR", err: { message: "no user for <address>" } },
      { level: 50, code: "JWT_SESSION_ERROR", err: { message: "decryption failed" } },
      { level: 40, code: "NEXTAUTH_URL" },
    ]);
    expect(capture.text()).not.toContain("example.org");
  });
});
