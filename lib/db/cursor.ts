import pg from "pg";
import type { Prisma } from "@/lib/generated/prisma/client";
import { hotPool, type Db } from "./prisma";

/**
 * The rows of `query`, read through a server-side cursor `batchSize` at a time: Postgres runs the query, and its
 * sort, once, and this process holds one batch at a time however many rows there are; the rows are one snapshot.
 * The cursor has a connection of its own, so that a slow download never holds one of the pool's, which
 * registrations need. A reader that stops early (a client gone) closes it.
 */
export async function* cursorRows<T>(db: Db, query: Prisma.Sql, batchSize = 500): AsyncGenerator<T> {
  const client = new pg.Client(hotPool(db).options);
  await client.connect();
  try {
    await client.query("BEGIN READ ONLY");
    await client.query(`DECLARE rows NO SCROLL CURSOR FOR ${query.text}`, query.values);
    for (;;) {
      const { rows } = await client.query(`FETCH ${Number(batchSize)} FROM rows`);
      for (const row of rows) yield row as T;
      if (rows.length < batchSize) break;
    }
    await client.query("COMMIT");
  } finally {
    await client.end();
  }
}
