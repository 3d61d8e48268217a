import { describe, expect, it } from "vitest";
import { crossSiteWriteRefusal } from "./same-origin";

const APP = "https://tickets.example.org";
const post = (headers: Record<string, string>) =>
  new Request(`${APP}/api/v1/checkin`, { method: "POST", headers, body: "{}" });

describe("crossSiteWriteRefusal", () => {
  it("refuses a cookie-carrying post from another site, or one that is not JSON", () => {
    expect(
      crossSiteWriteRefusal(post({ cookie: "s=1", "content-type": "text/plain", origin: "https://evil.example" }), APP)
        ?.status,
    ).toBe(403);
    expect(
      crossSiteWriteRefusal(
        post({ cookie: "s=1", "content-type": "application/json", origin: "https://sub.example.org" }),
        APP,
      )?.status,
    ).toBe(403);
    expect(crossSiteWriteRefusal(post({ cookie: "s=1", "content-type": "text/plain" }), APP)?.status).toBe(403);
  });

  it("lets through the app's own pages and token callers without cookies", () => {
    expect(
      crossSiteWriteRefusal(post({ cookie: "s=1", "content-type": "application/json", origin: APP }), APP),
    ).toBeNull();
    expect(crossSiteWriteRefusal(post({ cookie: "s=1", "content-type": "application/json" }), APP)).toBeNull();
    expect(
      crossSiteWriteRefusal(
        post({ authorization: "Bearer gch_x", "content-type": "text/plain", origin: "https://evil.example" }),
        APP,
      ),
    ).toBeNull();
  });
});
