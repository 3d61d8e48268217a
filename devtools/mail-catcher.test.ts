import { mkdtempSync, rmSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMailCatcher } from "./mail-catcher";
import { findFreePort } from "@/devtools/postgres/embedded-postgres";

/** A raw HTTP exchange, so the Host header can be what a rebound DNS name would send. */
function get(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(url, { headers }, (response) => {
      let body = "";
      response.on("data", (chunk) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    outgoing.on("upgrade", (response) =>
      resolve({ status: response.statusCode ?? 0, headers: response.headers, body: "" }),
    );
    outgoing.on("error", reject);
    outgoing.end();
  });
}

const mailDir = mkdtempSync(path.join(tmpdir(), "guichet-catcher-"));
let catcher: Awaited<ReturnType<typeof startMailCatcher>>;

beforeAll(async () => {
  catcher = await startMailCatcher({ smtpPort: await findFreePort(), webPort: await findFreePort(), mailDir });
  await nodemailer
    .createTransport(catcher.smtpUrl)
    .sendMail({ from: "app@example.org", to: "ada@example.org", subject: "Your sign-in link", text: "secret link" });
});

afterAll(async () => {
  await catcher.stop();
  rmSync(mailDir, { recursive: true, force: true });
});

describe("the mail catcher npm start runs", () => {
  it("listens on loopback and shows the emails to its own page", async () => {
    expect(catcher.webUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const own = await get(`${catcher.webUrl}/api/email`, { origin: catcher.webUrl });
    expect(own.status).toBe(200);
    expect(own.body).toContain("Your sign-in link");
    expect((await get(`${catcher.webUrl}/api/email`, {})).status).toBe(200);
  });

  it("refuses other origins, and pages reaching it through a DNS name rebound to this machine", async () => {
    const foreign = await get(`${catcher.webUrl}/api/email`, { origin: "https://evil.example" });
    expect(foreign.status).toBe(403);
    expect(foreign.headers["access-control-allow-origin"]).toBeUndefined();
    expect(foreign.body).not.toContain("sign-in");
    const rebound = await get(`${catcher.webUrl}/api/email`, { host: `evil.example:${new URL(catcher.webUrl).port}` });
    expect(rebound.status).toBe(403);
    const socket = await get(`${catcher.webUrl}/socket.io/?EIO=4&transport=websocket`, {
      origin: "https://evil.example",
      connection: "Upgrade",
      upgrade: "websocket",
      "sec-websocket-version": "13",
      "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
    });
    expect(socket.status).toBe(403);
  });
});
