import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

// Next's recommended rules (React hooks, accessibility, Next pitfalls) and typescript-eslint's. Layout is
// Prettier's job (.prettierrc); this file only holds rules about meaning.
const config = [
  ...nextVitals,
  ...nextTs,
  {
    rules: {
      // `_`-prefixed names are deliberately unused (destructuring that drops a field).
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      // Prettier wraps code at 120 columns but leaves strings, templates and comments: they are wrapped by hand.
      "max-len": ["error", { code: 120, ignoreUrls: true }],
    },
  },
  {
    // Tests, journeys, benchmarks and dev tools hold no React: Playwright's fixture `use` and the harness's
    // `useTestDatabase` are not hooks.
    files: ["**/*.test.ts", "e2e/**", "bench/**", "devtools/**", "scripts/**"],
    rules: { "react-hooks/rules-of-hooks": "off" },
  },
  {
    // The server logs through lib/log (pino: JSON, request id, redacted and scrubbed), never the console.
    files: ["app/**", "lib/**", "components/**"],
    rules: { "no-console": "error" },
  },
  {
    // The browser's own error boundary logs in the browser's console.
    files: ["app/[[]locale]/error.tsx"],
    rules: { "no-console": "off" },
  },
  { ignores: [".next/**", "lib/generated/**", "node_modules/**", "test-results/**", "test-reports/**", ".data/**"] },
];

export default config;
