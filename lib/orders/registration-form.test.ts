import { describe, expect, it } from "vitest";
import { registrationRequestFromForm } from "./registration-form";

describe("registrationRequestFromForm", () => {
  it("nests attendee fields and answers like the JSON API", () => {
    const form = new FormData();
    form.set("ticketType", "standard");
    form.set("attendee.firstName", "Ada");
    form.set("attendee.email", "ada@example.org");
    form.set("answers.tshirt", "m");
    form.set("answers.coc", "on");
    form.set("attendee.photo", new Blob(["x"]));
    form.set("altcha", "c29sdmVk");
    const { request, values } = registrationRequestFromForm(form, "fr");
    expect(request).toEqual({
      ticketType: "standard",
      attendee: { firstName: "Ada", email: "ada@example.org" },
      answers: { tshirt: "m", coc: "on" },
      locale: "fr",
    });
    expect(values["attendee.photo"]).toBeUndefined();
    // A spent proof-of-work answer is not sent back into the refilled form.
    expect(values.altcha).toBeUndefined();
  });
});
