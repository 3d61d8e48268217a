import { z } from "zod";

// Every setting the app reads, in one place; .env.example mirrors it line for line.
const envSchema = z.object({
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: "must be a postgresql:// connection URL" }),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  APP_URL: z.url().default("http://localhost:3000"),
  HOLD_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
});

export type Env = z.infer<typeof envSchema>;

let parsed: Env | undefined;

export function parseEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid environment (see .env.example):\n${lines.join("\n")}`);
  }
  return result.data;
}

/** The validated environment, parsed on first use so `next build` does not need a database. */
export function env(): Env {
  parsed ??= parseEnv();
  return parsed;
}
