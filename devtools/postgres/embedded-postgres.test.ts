import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { startEmbeddedPostgres, type Durability } from "./embedded-postgres";

async function settingsOf(durability: Durability): Promise<Record<string, string>> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "guichet-durability-"));
  const server = await startEmbeddedPostgres({ dataDir, persistent: false, durability });
  try {
    const client = new pg.Client({ connectionString: server.urlFor("postgres") });
    await client.connect();
    const { rows } = await client.query(
      "SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes')",
    );
    await client.end();
    return Object.fromEntries(rows.map((row) => [row.name, row.setting]));
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

describe("embedded Postgres durability", () => {
  it("keeps Postgres's crash-safe defaults for the database npm start keeps", async () => {
    expect(await settingsOf("durable")).toEqual({ fsync: "on", synchronous_commit: "on", full_page_writes: "on" });
  });

  it("trades durability for speed only when asked (throw-away test databases)", async () => {
    expect(await settingsOf("throwaway")).toEqual({ fsync: "off", synchronous_commit: "off", full_page_writes: "off" });
  });
});

describe("embedded Postgres data folder", () => {
  it("refuses a folder another major version wrote, saying what to do, and leaves it as it was", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "guichet-pg17-"));
    try {
      writeFileSync(path.join(dataDir, "PG_VERSION"), "17\n");
      await expect(startEmbeddedPostgres({ dataDir, persistent: true, durability: "durable" })).rejects.toThrow(
        /holds a PostgreSQL 17 database; the embedded Postgres is 15 .*Move the folder away.*set DATABASE_URL/,
      );
      expect(readdirSync(dataDir)).toEqual(["PG_VERSION"]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
