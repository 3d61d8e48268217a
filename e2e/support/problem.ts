import { expect } from "@playwright/test";

/** The documented shape of an API refusal (docs/api.md, "Errors"): problem details, `error` = `code`. */
export const problemOf = (status: number, code: string, details: Record<string, unknown> = {}) => ({
  type: `urn:guichet:problem:${code}`,
  title: expect.any(String),
  status,
  code,
  error: code,
  ...details,
});
