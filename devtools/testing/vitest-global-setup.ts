import type { TestProject } from "vitest/node";
import { startTestPostgres } from "./test-postgres";

declare module "vitest" {
  export interface ProvidedContext {
    testPostgresAdminUrl: string;
  }
}

// `npm test` starts Postgres once for unit and e2e tests and passes it down; a bare `npx vitest`
// starts its own.
export default async function setup(project: TestProject) {
  const given = process.env.GUICHET_TEST_PG_ADMIN_URL;
  if (given) {
    project.provide("testPostgresAdminUrl", given);
    return;
  }
  const postgres = await startTestPostgres();
  project.provide("testPostgresAdminUrl", postgres.adminUrl);
  return () => postgres.stop();
}
