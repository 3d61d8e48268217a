import { spawn } from "node:child_process";
import { constants, existsSync, mkdirSync } from "node:fs";
import { access, open, rename, stat, unlink } from "node:fs/promises";
import path from "node:path";
import pg from "pg";

// `npm run db:backup` and `npm run db:restore` (docs/operations.md, "Backups"): pg_dump's custom format of the whole
// database, app tables and pg-boss's schema alike, restored in one transaction into an empty database only.

export type BackupFailure = {
  ok: false;
  reason:
    | "unreachable"
    | "no_client"
    | "client_too_old"
    | "exists"
    | "unwritable"
    | "dump_failed"
    | "missing_file"
    | "unreadable"
    | "not_a_dump"
    | "not_empty"
    | "restore_failed";
  /** One line for a person: what went wrong and what to do. */
  message: string;
};

/** Where pg_dump and pg_restore are looked for: `binDir` (PG_BIN_DIR), Debian's per-major folder, then `PATH`. */
export type PgClientSearch = { binDir?: string; debianRoot?: string; pathEnv?: string };

type Tool = "pg_dump" | "pg_restore";
type Connection = { url: string; env: NodeJS.ProcessEnv; label: string };

// Every archive pg_dump writes in its custom format begins with these bytes.
const CUSTOM_FORMAT_MAGIC = "PGDMP";
// Prisma reads these from a database URL; libpq refuses the whole URL when it meets one.
const PRISMA_ONLY_PARAMETERS = ["schema", "connection_limit", "pool_timeout", "socket_timeout", "pgbouncer"];

/** The default archive name: `<directory>/guichet-<UTC yyyymmddThhmmss>.dump`. */
export function defaultBackupFile(directory: string, now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/\.\d{3}Z$/, "")
    .replace(/[-:]/g, "");
  return path.join(directory, `guichet-${stamp}.dump`);
}

/**
 * The URL handed to pg_dump and pg_restore, without its password (which goes in PGPASSWORD, out of `ps`) and without
 * Prisma's own parameters; `label` names the database in messages without the secret.
 */
function connectionFor(databaseUrl: string): Connection {
  const url = new URL(databaseUrl);
  const password = decodeURIComponent(url.password);
  url.password = "";
  for (const name of PRISMA_ONLY_PARAMETERS) url.searchParams.delete(name);
  const label = `${url.hostname}:${url.port || 5432}${url.pathname}`;
  return { url: url.toString(), env: password ? { ...process.env, PGPASSWORD: password } : process.env, label };
}

function firstLine(text: string): string {
  return (
    text
      .split("\n")
      .map((line) => line.trim())
      .find(Boolean) ?? ""
  );
}

/** The server's major version, or why it cannot be asked. */
async function serverMajor(databaseUrl: string, label: string): Promise<number | BackupFailure> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    const { rows } = await client.query<{ version: number }>(
      "SELECT current_setting('server_version_num')::int AS version",
    );
    return Math.floor(rows[0].version / 10_000);
  } catch (error) {
    const why = firstLine(error instanceof Error ? error.message : String(error)) || "no answer";
    return { ok: false, reason: "unreachable", message: `cannot reach the database ${label}: ${why}` };
  } finally {
    await client.end().catch(() => {});
  }
}

function run(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; stdout?: number } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      env: options.env ?? process.env,
      stdio: ["ignore", options.stdout ?? "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk) => (stdout += chunk));
    child.stderr?.on("data", (chunk) => (stderr += chunk));
    child.on("error", (error) => resolve({ code: -1, stdout, stderr: error.message }));
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** The pg_dump or pg_restore to use with a server of `major`, or why there is none fit for it. */
export async function findPgClient(
  tool: Tool,
  major: number,
  search: PgClientSearch = {},
): Promise<string | BackupFailure> {
  const debian = path.join(search.debianRoot ?? "/usr/lib/postgresql", String(major), "bin", tool);
  const onPath = (search.pathEnv ?? process.env.PATH ?? "")
    .split(path.delimiter)
    .filter(Boolean)
    .map((dir) => path.join(dir, tool));
  const candidates = [...(search.binDir ? [path.join(search.binDir, tool)] : []), debian, ...onPath];
  const install = `install postgresql-client-${major} (or set PG_BIN_DIR to its bin folder)`;
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) return { ok: false, reason: "no_client", message: `${tool} not found: ${install}` };
  const { stdout } = await run(found, ["--version"]);
  const version = /\(PostgreSQL\)\s+(\d+)/.exec(stdout);
  const clientMajor = version ? Number(version[1]) : 0;
  // pg_dump refuses a newer server; an older pg_restore may not read the archive a newer pg_dump writes.
  if (clientMajor < major) {
    return {
      ok: false,
      reason: "client_too_old",
      message: `${found} is PostgreSQL ${clientMajor || "?"}, older than the server (${major}): ${install}`,
    };
  }
  return found;
}

/**
 * Dumps the whole database to `file` (mode 0600) with pg_dump's custom format, without owners or privileges, so it
 * restores under any role. Written beside `file` first and renamed once complete: a failed dump leaves no archive
 * that looks whole. An existing `file` is never overwritten.
 */
export async function backupDatabase(options: {
  databaseUrl: string;
  file: string;
  clients?: PgClientSearch;
}): Promise<{ ok: true; file: string; bytes: number } | BackupFailure> {
  const file = path.resolve(options.file);
  if (existsSync(file)) return { ok: false, reason: "exists", message: `${file} already exists: name another file` };
  const connection = connectionFor(options.databaseUrl);
  const major = await serverMajor(options.databaseUrl, connection.label);
  if (typeof major !== "number") return major;
  const pgDump = await findPgClient("pg_dump", major, options.clients);
  if (typeof pgDump !== "string") return pgDump;

  const partial = `${file}.partial`;
  let handle;
  try {
    handle = await open(partial, "wx", 0o600);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    return { ok: false, reason: "unwritable", message: `cannot write ${file}: ${code}` };
  }
  let result;
  try {
    // The umask may only take bits away: set the mode outright.
    await handle.chmod(0o600);
    result = await run(pgDump, ["--format=custom", "--no-owner", "--no-privileges", `--dbname=${connection.url}`], {
      env: connection.env,
      stdout: handle.fd,
    });
  } finally {
    await handle.close();
  }
  if (result.code !== 0) {
    await unlink(partial).catch(() => {});
    return { ok: false, reason: "dump_failed", message: firstLine(result.stderr) || `pg_dump exited ${result.code}` };
  }
  await rename(partial, file);
  return { ok: true, file, bytes: (await stat(file)).size };
}

/** `backups/` under `root`, made private (0700) when this creates it. */
export function backupDirectory(root: string): string {
  const directory = path.join(root, "backups");
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  return directory;
}

async function readArchiveHead(file: string): Promise<BackupFailure | null> {
  try {
    await access(file, constants.F_OK);
  } catch {
    return { ok: false, reason: "missing_file", message: `${file} does not exist` };
  }
  let head: Buffer;
  try {
    await access(file, constants.R_OK);
    const handle = await open(file, "r");
    try {
      head = Buffer.alloc(CUSTOM_FORMAT_MAGIC.length);
      await handle.read(head, 0, head.length, 0);
    } finally {
      await handle.close();
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    return { ok: false, reason: "unreadable", message: `cannot read ${file}: ${code}` };
  }
  if (head.toString("latin1") !== CUSTOM_FORMAT_MAGIC) {
    return { ok: false, reason: "not_a_dump", message: `${file} is not an archive made by npm run db:backup` };
  }
  return null;
}

async function tablesInPublic(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'",
    );
    return rows[0].n;
  } finally {
    await client.end();
  }
}

/**
 * Restores an archive of `backupDatabase` into an empty database: refused, with nothing changed, when `public` holds
 * any table, and done in one transaction that stops at the first error, so a failure leaves the database as it was.
 * Migrations the archive predates are the caller's to report (pendingMigrations).
 */
export async function restoreDatabase(options: {
  databaseUrl: string;
  file: string;
  clients?: PgClientSearch;
}): Promise<{ ok: true } | BackupFailure> {
  const file = path.resolve(options.file);
  const unfit = await readArchiveHead(file);
  if (unfit) return unfit;
  const connection = connectionFor(options.databaseUrl);
  const major = await serverMajor(options.databaseUrl, connection.label);
  if (typeof major !== "number") return major;
  const pgRestore = await findPgClient("pg_restore", major, options.clients);
  if (typeof pgRestore !== "string") return pgRestore;
  // The table of contents is read before the database is touched: a truncated or foreign archive stops here.
  const listed = await run(pgRestore, ["--list", file]);
  if (listed.code !== 0) {
    return { ok: false, reason: "not_a_dump", message: `${file}: ${firstLine(listed.stderr) || "unreadable archive"}` };
  }
  const tables = await tablesInPublic(options.databaseUrl);
  if (tables > 0) {
    return {
      ok: false,
      reason: "not_empty",
      message: `${connection.label} already holds ${tables} table(s) in public: restore into a new, empty database`,
    };
  }
  const restored = await run(
    pgRestore,
    ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", `--dbname=${connection.url}`, file],
    { env: connection.env },
  );
  if (restored.code !== 0) {
    const why = firstLine(restored.stderr) || `pg_restore exited ${restored.code}`;
    return { ok: false, reason: "restore_failed", message: `${why} (rolled back: nothing was restored)` };
  }
  return { ok: true };
}
