// `npm run db:backup [FILE]`: the whole database (app tables and the job queue) in pg_dump's custom format, to FILE
// or backups/guichet-<UTC time>.dump, readable by its owner only. docs/operations.md, "Backups".
import { backupDatabase, backupDirectory, defaultBackupFile } from "@/lib/ops/backup";
import { openScriptDatabase } from "./script-database";

async function main(): Promise<number> {
  if (process.argv.length > 3) {
    console.error("Usage: npm run db:backup [FILE]");
    return 2;
  }
  const file = process.argv[2] ?? defaultBackupFile(backupDirectory(process.cwd()), new Date());
  const database = await openScriptDatabase({ mustExist: true });
  try {
    const backup = await backupDatabase({
      databaseUrl: database.url,
      file,
      clients: { binDir: process.env.PG_BIN_DIR || undefined },
    });
    if (!backup.ok) {
      console.error(`db:backup: ${backup.message}`);
      return 1;
    }
    console.log(`db:backup: ${backup.file} (${backup.bytes} bytes)`);
    return 0;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`db:backup: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  },
);
