// `npm run db:migrate`: once per release, from one host, before its instances restart. The app's migrations (only
// when some are pending: `prisma migrate deploy` costs ~11 s even with nothing to do), then pg-boss's schema and the
// email queues, so that the new instances are ready (/api/ready) as soon as they start. Both steps are idempotent.
import { migrateDeploy, pendingMigrations } from "@/devtools/postgres/migrate";
import { installJobQueue } from "@/lib/email/queue";

async function main() {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error("DATABASE_URL is not set: it names the database to migrate.");
  const pending = await pendingMigrations(databaseUrl);
  if (pending.length > 0) {
    console.log(`Applying ${pending.length} migration(s): ${pending.join(", ")}`);
    await migrateDeploy(databaseUrl, (line) => console.log(line));
  } else {
    console.log("Migrations: none pending.");
  }
  await installJobQueue(databaseUrl);
  console.log("Job queue: installed.");
}

main().catch((error) => {
  console.error(`db:migrate: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
