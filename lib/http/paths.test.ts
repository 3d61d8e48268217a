import { describe, expect, it } from "vitest";
import * as paths from "./paths";

describe("paths", () => {
  it("builds the attendee's pages, with queries and encoded segments", () => {
    expect(paths.orderPath("fr", "tok_123")).toBe("/fr/orders/tok_123");
    expect(paths.orderPath("en", "tok", { checkout: "unavailable", manage: undefined })).toBe(
      "/en/orders/tok?checkout=unavailable",
    );
    expect(paths.orderFilePath("fr", "tok", "ticket.pdf")).toBe("/fr/orders/tok/ticket.pdf");
    expect(paths.registerPath("fr", "paris 12", { ticket: "early", from: "tok" })).toBe(
      "/fr/editions/paris%2012/register?ticket=early&from=tok",
    );
    expect(paths.editionPath("en", "paris", "lost-ticket")).toBe("/en/editions/paris#lost-ticket");
    expect(paths.orderPath("fr", "../admin")).toBe("/fr/orders/..%2Fadmin");
    expect(paths.ticketPath("en", "tok_456")).toBe("/en/tickets/tok_456");
    expect(paths.ticketFilePath("fr", "tok", "calendar.ics")).toBe("/fr/tickets/tok/calendar.ics");
    expect(paths.waitingListPath("fr", "tok_789")).toBe("/fr/waiting-list/tok_789");
    expect(paths.offerRegisterPath("en", "paris 12", "tok")).toBe("/en/editions/paris%2012/register?offer=tok");
    expect(paths.apiWaitingListLeavePath("tok/x")).toBe("/api/v1/waiting-list/tok%2Fx/leave");
  });

  it("builds back-office paths and anchors a path on the app's public address", () => {
    expect(paths.adminEditionPath("paris")).toBe("/admin/editions/paris");
    expect(paths.adminEditionPath("paris", "attendees")).toBe("/admin/editions/paris/attendees");
    const saved = paths.adminEditionPath("paris", "settings", { done: "saved" });
    expect(saved).toBe("/admin/editions/paris/settings?done=saved");
    expect(paths.adminOrderPath("paris", "K7Q2-9XMD")).toBe("/admin/editions/paris/orders/K7Q2-9XMD");
    expect(paths.adminAttendeePath("paris", "t-1", { done: "cancelled" })).toBe(
      "/admin/editions/paris/attendees/t-1?done=cancelled",
    );
    expect(paths.checkinPath("paris")).toBe("/checkin/paris");
    expect(paths.absoluteUrl("https://tickets.example.org/", paths.orderPath("fr", "tok"))).toBe(
      "https://tickets.example.org/fr/orders/tok",
    );
    expect(paths.absoluteUrl("http://localhost:3000", "/fr")).toBe("http://localhost:3000/fr");
  });
});
