import { describe, expect, it } from "vitest";
import { pageContentSecurityPolicy, strictTransportSecurity } from "./security-headers";

describe("security headers", () => {
  it("lets only scripts with this response's nonce run, and nobody frame the page", () => {
    const policy = pageContentSecurityPolicy("abc123");
    expect(policy).toContain("script-src 'self' 'nonce-abc123' 'strict-dynamic'");
    expect(policy).not.toContain("unsafe-eval");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("object-src 'none'");
    expect(pageContentSecurityPolicy("abc123", { development: true })).toContain("'unsafe-eval'");
  });

  it("sends HSTS only when the app is served over https", () => {
    expect(strictTransportSecurity("https://tickets.example.org")).toBe("max-age=31536000; includeSubDomains");
    expect(strictTransportSecurity("http://localhost:3000")).toBeNull();
    expect(strictTransportSecurity(undefined)).toBeNull();
  });
});
