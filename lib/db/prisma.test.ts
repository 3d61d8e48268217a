import { describe, expect, it } from "vitest";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { hotPool } from "./prisma";

const { db, newClient } = await useTestDatabase();

describe("the client's connection pool", () => {
  it("outlives a connection the server ends while it is idle, and serves the next query", async () => {
    const client = newClient(1);
    const pool = hotPool(client);
    const { rows } = await pool.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
    // Without a listener of its own, the pool's 'error' event would end the process.
    expect(pool.listenerCount("error")).toBeGreaterThan(0);
    const lost = new Promise((resolve) => pool.once("error", resolve));
    // The fault: the server ends the idle connection, as a restart or an operator would.
    await db.$queryRaw`SELECT pg_terminate_backend(${rows[0].pid}::integer)`;
    expect(await lost).toMatchObject({ code: "57P01" });
    const again = await pool.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
    expect(again.rows[0].pid).not.toBe(rows[0].pid);
    expect(await client.edition.count()).toBeGreaterThanOrEqual(0);
  });
});
