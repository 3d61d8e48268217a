import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";
import { createEdition } from "@/devtools/testing/fixtures";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { generateTicketSigningKey, publicKeyX, signTicketCode, ticketKeysFrom, verifyTicketCode } from "./codes";
import { rotateTicketKey } from "./key-rotation";

const { db, url } = await useTestDatabase(2);
const base = { NODE_ENV: "production", DATABASE_URL: url, REGISTRATION_CHALLENGE: "off" } as const;
const xOf = (secret: string) => publicKeyX(ticketKeysFrom(secret).publicKey);
const editionEnding = async (endsAt: Date) => {
  const { id } = await createEdition(db, { capacity: 1 });
  return db.edition.update({ where: { id }, data: { startsAt: new Date(endsAt.getTime() - 8 * 3_600_000), endsAt } });
};
const claims = { ticketId: crypto.randomUUID(), editionId: crypto.randomUUID(), codeVersion: 1 };

describe("npm run tickets:rotate-key", () => {
  it("prints a new key, keeps the current one until the last edition to come ends, and the entries valid", async () => {
    const now = new Date();
    const day = (offsetDays: number) => new Date(now.getTime() + offsetDays * 86_400_000).toISOString().slice(0, 10);
    await editionEnding(new Date(now.getTime() - 86_400_000));
    const last = await editionEnding(new Date(`${day(40)}T21:30:00Z`));
    await editionEnding(new Date(`${day(10)}T16:00:00Z`));
    const current = generateTicketSigningKey();
    const [stillValid, ended] = [xOf(generateTicketSigningKey()), xOf(generateTicketSigningKey())];
    const { stdout } = await promisify(execFile)("npm", ["run", "--silent", "tickets:rotate-key"], {
      env: {
        ...process.env,
        ...base,
        TICKET_SIGNING_KEY: current,
        TICKET_PREVIOUS_KEYS: `${stillValid}@${day(0)},${ended}@${day(-1)}`,
      },
    });

    // The two lines, read back as every instance reads its environment.
    const printed = Object.fromEntries(
      stdout
        .trim()
        .split("\n")
        .map((line) => line.split(/=(.*)/s).slice(0, 2)),
    );
    expect(Object.keys(printed)).toEqual(["TICKET_SIGNING_KEY", "TICKET_PREVIOUS_KEYS"]);
    const settings = parseEnv({ ...base, ...printed });
    expect(settings.TICKET_PREVIOUS_KEYS).toEqual([
      { x: xOf(current), lastDay: last.endsAt.toISOString().slice(0, 10) },
      { x: stillValid, lastDay: day(0) },
    ]);
    const rotated = ticketKeysFrom(settings.TICKET_SIGNING_KEY!, settings.TICKET_PREVIOUS_KEYS);
    expect(publicKeyX(rotated.publicKey)).not.toBe(xOf(current));
    // A code sent before the rotation still verifies.
    const sent = signTicketCode(claims, ticketKeysFrom(current).privateKey);
    expect(verifyTicketCode(sent, rotated.verifyKeys).ok).toBe(true);
  });

  it("drops the current key when no edition is still to come, and refuses to keep more than three", async () => {
    const future = new Date("2999-01-01T00:00:00Z");
    const previous = ["2999-02-01", "2999-03-01", "2999-04-01"].map((lastDay) => ({
      x: xOf(generateTicketSigningKey()),
      lastDay,
    }));
    const secret = generateTicketSigningKey();
    expect((await rotateTicketKey(db, { secret, previous: previous.slice(1) }, future)).previousKeys).toEqual(
      previous.slice(1),
    );
    await editionEnding(new Date("2999-06-01T10:00:00Z"));
    await expect(rotateTicketKey(db, { secret, previous }, future)).rejects.toThrow(
      "4 keys would still verify codes, at most 3: rotate after 2999-02-01.",
    );
  });
});
