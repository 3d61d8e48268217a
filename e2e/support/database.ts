import { test as base } from "@playwright/test";
import { createPrismaClient, type Db } from "@/lib/db/prisma";
import { createEdition } from "@/devtools/testing/fixtures";
import { takeClockTurn } from "./clock-turn";

/** Specs set up their own editions in the e2e database that the app under test reads. */
export const test = base.extend<{
  db: Db;
  newEdition: (options: Parameters<typeof createEdition>[1]) => ReturnType<typeof createEdition>;
  clockTurn: void;
}>({
  db: async ({}, use) => {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set: run the e2e tests through `npm test`.");
    const db = createPrismaClient(url, 2);
    await use(db);
    await db.$disconnect();
  },
  newEdition: async ({ db }, use) => {
    await use((options) => createEdition(db, options));
  },
  // Never beside a test that moves the app's clock (e2e/support/clock.ts): it waits for it to end.
  clockTurn: [
    async ({}, use) => {
      const release = await takeClockTurn("shared");
      try {
        await use();
      } finally {
        await release();
      }
    },
    { auto: true, timeout: 120_000 },
  ],
});

export { expect } from "@playwright/test";

let sequence = 0;
/** An email no other test uses, so specs can run in parallel on one database. */
export function uniqueEmail(label: string): string {
  sequence += 1;
  return `${label}.${process.pid}.${Date.now().toString(36)}.${sequence}@example.org`;
}

export const DEMO_EDITION = "open-cloud-paris-12";
