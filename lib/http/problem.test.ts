import { describe, expect, it } from "vitest";
import { problem, problemBody } from "./problem";

describe("problem", () => {
  it("answers problem details with a stable code, repeated as `error` for clients of the first format", async () => {
    const lostTicketUrl = "https://tickets.example.org/fr/editions/x#lost-ticket";
    const response = problem(409, "already_registered", { lostTicketUrl });
    expect(response.status).toBe(409);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toEqual({
      type: "urn:guichet:problem:already_registered",
      title: "Conflict",
      status: 409,
      code: "already_registered",
      error: "already_registered",
      lostTicketUrl,
    });
  });

  it("takes a refusal's own title over the reason phrase, and its extra headers", async () => {
    const response = problem(401, "unauthorized", { title: "Sign in first" }, { "www-authenticate": "Bearer" });
    expect([response.headers.get("www-authenticate"), (await response.json()).title]).toEqual([
      "Bearer",
      "Sign in first",
    ]);
    expect(problemBody(418, "teapot").title).toBe("Error");
  });
});
