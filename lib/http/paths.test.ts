import { describe, expect, it } from "vitest";
import { absoluteUrl, adminAttendeePath, adminEditionPath, editionPath, orderFilePath, orderPath, registerPath } from "./paths";

describe("paths", () => {
  it("builds the attendee's pages, with queries and encoded segments", () => {
    expect(orderPath("fr", "tok_123")).toBe("/fr/orders/tok_123");
    expect(orderPath("en", "tok", { checkout: "unavailable", manage: undefined })).toBe("/en/orders/tok?checkout=unavailable");
    expect(orderFilePath("fr", "tok", "ticket.pdf")).toBe("/fr/orders/tok/ticket.pdf");
    expect(registerPath("fr", "paris 12", { ticket: "early", from: "tok" })).toBe("/fr/editions/paris%2012/register?ticket=early&from=tok");
    expect(editionPath("en", "paris", "lost-ticket")).toBe("/en/editions/paris#lost-ticket");
    expect(orderPath("fr", "../admin")).toBe("/fr/orders/..%2Fadmin");
  });

  it("builds back-office paths and anchors a path on the app's public address", () => {
    expect(adminEditionPath("paris")).toBe("/admin/editions/paris");
    expect(adminEditionPath("paris", "attendees")).toBe("/admin/editions/paris/attendees");
    expect(adminEditionPath("paris", "settings", { done: "saved" })).toBe("/admin/editions/paris/settings?done=saved");
    expect(adminAttendeePath("paris", "t-1", { done: "cancelled" })).toBe("/admin/editions/paris/attendees/t-1?done=cancelled");
    expect(absoluteUrl("https://tickets.example.org/", orderPath("fr", "tok"))).toBe("https://tickets.example.org/fr/orders/tok");
    expect(absoluteUrl("http://localhost:3000", "/fr")).toBe("http://localhost:3000/fr");
  });
});
