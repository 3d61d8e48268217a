import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      // Outside Next's react-server build, `server-only` throws on import; tests are server-side.
      "server-only": path.resolve(import.meta.dirname, "devtools/testing/server-only-stub.ts"),
    },
  },
  test: {
    include: [
      "lib/**/*.test.ts",
      "app/**/*.test.ts",
      "components/**/*.test.ts",
      "scripts/**/*.test.ts",
      "devtools/**/*.test.ts",
    ],
    globalSetup: ["devtools/testing/vitest-global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // As the e2e app: the registration challenge is tested where it is switched on (lib/abuse). The app's log lines
    // would bury the runner's report (tests that read them capture the logger: devtools/testing/log-capture.ts).
    env: { REGISTRATION_CHALLENGE: "off", EDITION_CACHE_SECONDS: "0", LOG_LEVEL: "silent" },
  },
});
