import { randomUUID } from "node:crypto";
import { redirect } from "next/navigation";
import { describe, expect, it } from "vitest";
import { captureLog } from "@/devtools/testing/log-capture";
import { answerOf } from "@/lib/forms/form-state";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { runAdminHandler } from "./admin-action";
import { createApiToken } from "./api-tokens";
import { saveUser } from "./manage-users";

const { db } = await useTestDatabase();
const admin = { id: "00000000-0000-4000-8000-000000000001", email: "admin@example.org", role: "ADMIN" as const };

const form = (fields: Record<string, string | string[]>) => {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) for (const item of [value].flat()) data.append(key, item);
  return data;
};

describe("back-office actions given bad ids", () => {
  it("refuse an id that is not a UUID before doing anything", async () => {
    let ran = false;
    const state = await runAdminHandler(form({ editionId: "not-a-uuid", name: "x" }), async () => {
      ran = true;
      return { status: "idle" };
    });
    expect(state).toEqual({ status: "error", message: "not_found" });
    expect(ran).toBe(false);
    expect(
      await runAdminHandler(form({ editionIds: [randomUUID(), "1 OR 1=1"] }), async () => ({ status: "idle" })),
    ).toMatchObject({ message: "not_found" });
  });

  it("answer 'not found' when a well-formed id names no row, through the real domain calls", async () => {
    const editionId = randomUUID();
    const token = form({ editionId, name: "door", scope: "CHECKIN" });
    const tokenState = await runAdminHandler(token, async () =>
      answerOf(await createApiToken(db, admin, { name: "door", scope: "CHECKIN", editionId }), token, "saved"),
    );
    expect(tokenState).toEqual({ status: "error", message: "not_found" });
    const user = form({
      email: `staff.${randomUUID()}@example.org`,
      role: "CHECKIN_STAFF",
      editionIds: [randomUUID()],
    });
    const userState = await runAdminHandler(user, async () =>
      answerOf(
        await saveUser(db, admin, null, {
          email: user.get("email"),
          role: "CHECKIN_STAFF",
          editionIds: user.getAll("editionIds").map(String),
        }),
        user,
        "saved",
      ),
    );
    expect(userState).toEqual({ status: "error", message: "not_found" });
    expect(await db.apiToken.count({ where: { editionId } })).toBe(0);
  });

  it("let Next's redirects through and turn anything else into a polite 'failed'", async () => {
    await expect(runAdminHandler(form({}), async () => redirect("/admin"))).rejects.toThrow("NEXT_REDIRECT");
    const logged = captureLog();
    const state = await runAdminHandler(form({}), async () => {
      throw new Error("boom");
    }).finally(logged.restore);
    expect(state).toEqual({ status: "error", message: "failed" });
    expect(logged.lines().filter((line) => line.level === 50)).toMatchObject([{ err: { message: "boom" } }]);
  });
});
