import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { EMAIL_QUEUES } from "@/lib/email/queue";

const { db, url } = await useTestDatabase(1);

describe("npm run db:migrate", () => {
  it("leaves a database ready for the instances: pg-boss's schema and the email queues installed", async () => {
    await db.$executeRawUnsafe("DROP SCHEMA pgboss CASCADE");
    const { stdout } = await promisify(execFile)("npm", ["run", "--silent", "db:migrate"], {
      env: { ...process.env, DATABASE_URL: url },
    });
    expect(stdout).toContain("Migrations: none pending.");
    const queues = await db.$queryRaw<{ name: string }[]>`SELECT name FROM pgboss.queue ORDER BY name`;
    expect(queues.map((queue) => queue.name)).toEqual(expect.arrayContaining([...EMAIL_QUEUES]));
  });
});
