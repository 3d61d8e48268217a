// The Prisma CLI runs migrations through its bundled WASM schema engine and this driver adapter,
// because the native schema engine cannot be downloaded here (see shared/ENVIRONMENT.md).
// The application's own pool (lib/db/prisma.ts) needs none of the workarounds below.
import { randomUUID } from "node:crypto";
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";

const PG_CHAR = 18;
const PG_NAME = 19;
const PG_TEXT = 25;

// The schema engine reads pg_catalog columns of types "char" and name, which the adapter cannot
// deserialize (prisma/orm#27403); report them as text. Its constraint introspection also dies
// ("RuntimeError: unreachable") on rows it does not expect: NOT NULL constraints on Postgres 18
// (prisma/orm#29635) and, measured here on Postgres 17 too, CHECK constraints, which our
// hand-written migrations add. Prisma does not model either, so they are left out of that query.
function patchResult<T>(result: T): T {
  for (const r of Array.isArray(result) ? result : [result]) {
    for (const field of (r as pg.QueryResult | undefined)?.fields ?? []) {
      if (field.dataTypeID === PG_CHAR || field.dataTypeID === PG_NAME) field.dataTypeID = PG_TEXT;
    }
  }
  return result;
}

function patchText(config: unknown): unknown {
  const rewrite = (text: string) =>
    text.replaceAll("contype NOT IN ('p', 'u', 'f')", "contype NOT IN ('p', 'u', 'f', 'n', 'c')");
  if (typeof config === "string") return rewrite(config);
  if (config && typeof config === "object" && "text" in config && typeof config.text === "string") {
    return { ...config, text: rewrite(config.text) };
  }
  return config;
}

class SchemaEngineClient extends pg.Client {
  // pg-pool calls query with a callback; the engine itself awaits the promise form.
  // pg's query() has a dozen overloads; `any` is the one return type an override can share with all of them.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  query(...args: unknown[]): any {
    args[0] = patchText(args[0]);
    const callbackIndex = args.findIndex((a) => typeof a === "function");
    if (callbackIndex >= 0) {
      const callback = args[callbackIndex] as (err: Error | null, res?: unknown) => void;
      args[callbackIndex] = (err: Error | null, res?: unknown) => callback(err, err ? res : patchResult(res));
      return (super.query as (...a: unknown[]) => unknown)(...args);
    }
    const returned = (super.query as (...a: unknown[]) => unknown)(...args);
    return returned instanceof Promise ? returned.then(patchResult) : returned;
  }
}

function poolConfig(connectionString: string): pg.PoolConfig {
  return { connectionString, Client: SchemaEngineClient as typeof pg.Client, allowExitOnIdle: true };
}

// @prisma/adapter-pg 6.19.3 runs a migration by splitting it on every ";", inside a function's
// dollar-quoted body too (a trigger function then fails with a syntax error). Postgres runs a whole
// script sent as one simple query, each migration in one implicit transaction.
type ScriptAdapter = { executeScript(script: string): Promise<void>; client: pg.Pool; onError(error: unknown): never };
function runScriptsWhole<T extends object>(adapter: T): T {
  const { client } = adapter as unknown as ScriptAdapter;
  (adapter as unknown as ScriptAdapter).executeScript = async (script) => {
    await client.query(script).catch((error) => (adapter as unknown as ScriptAdapter).onError(error));
  };
  return adapter;
}

function requireDatabaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url)
    throw new Error("DATABASE_URL is not set: the Prisma CLI needs it (npm start sets it for the embedded Postgres)");
  return url;
}

// @prisma/adapter-pg 6.19.3 ignores the shadow database name when given a connection string and
// leaves shadow databases behind; create, use and drop our own.
async function connectToShadowDb(databaseUrl: string) {
  const name = `guichet_shadow_${randomUUID().replaceAll("-", "")}`;
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const shadowUrl = new URL(databaseUrl);
  shadowUrl.pathname = `/${name}`;
  const adapter = runScriptsWhole(await new PrismaPg(poolConfig(shadowUrl.toString())).connect());
  const dispose = adapter.dispose.bind(adapter);
  adapter.dispose = async () => {
    await dispose();
    const cleaner = new pg.Client({ connectionString: databaseUrl });
    await cleaner.connect();
    await cleaner.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await cleaner.end();
  };
  return adapter;
}

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  migrations: { seed: "tsx prisma/seed.ts" },
  async adapter() {
    const databaseUrl = requireDatabaseUrl();
    const factory = new PrismaPg(poolConfig(databaseUrl));
    const connect = factory.connect.bind(factory);
    return Object.assign(factory, {
      connect: async () => runScriptsWhole(await connect()),
      connectToShadowDb: () => connectToShadowDb(databaseUrl),
    });
  },
});
