// `npm run db:restore FILE`: an archive of db:backup into an empty database (DATABASE_URL, else the embedded one), in
// one transaction; then the migrations this release has and the archive predates. docs/operations.md, "Backups".
import { pendingMigrations } from "@/devtools/postgres/migrate";
import { restoreDatabase } from "@/lib/ops/backup";
import { openScriptDatabase } from "./script-database";

async function main(): Promise<number> {
  const file = process.argv[2];
  if (!file || process.argv.length > 3) {
    console.error("Usage: npm run db:restore FILE (an archive made by npm run db:backup)");
    return 2;
  }
  const database = await openScriptDatabase({ mustExist: true });
  try {
    const restored = await restoreDatabase({
      databaseUrl: database.url,
      file,
      clients: { binDir: process.env.PG_BIN_DIR || undefined },
    });
    if (!restored.ok) {
      console.error(`db:restore: ${restored.message}`);
      return 1;
    }
    const pending = await pendingMigrations(database.url);
    console.log(`db:restore: ${file} restored.`);
    console.log(
      pending.length === 0
        ? "Migrations: none pending."
        : `Migrations pending (apply them with npm run db:migrate): ${pending.join(", ")}`,
    );
    return 0;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`db:restore: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  },
);
