import { describe, expect, it } from "vitest";
import {
  groupOrderFormValues,
  orderRequestFromForm,
  registrationRequestFromForm,
  ticketQuantities,
  shortTicketTypes,
} from "./registration-form";

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

describe("orderRequestFromForm", () => {
  it("leaves a ticket marked 'name later' unnamed, whatever its hidden fields hold", () => {
    const form = new FormData();
    form.set("buyer.firstName", "Grace");
    form.set("buyer.email", "grace@example.org");
    form.set("tickets.0.ticketType", "community");
    form.set("tickets.0.attendee.email", "ada@example.org");
    form.set("tickets.1.ticketType", "community");
    form.set("tickets.1.nameLater", "on");
    form.set("tickets.1.attendee.email", "typed-then-changed-mind@example.org");
    form.set("tickets.1.answers.coc", "on");
    expect(orderRequestFromForm(form, "en").request).toEqual({
      buyer: { firstName: "Grace", email: "grace@example.org" },
      tickets: [
        { ticketType: "community", attendee: { email: "ada@example.org" }, answers: {} },
        { ticketType: "community", attendee: null, answers: {} },
      ],
      locale: "en",
      billing: null,
    });
  });

  it("reads a one-attendee form as the one-attendee request", () => {
    const form = new FormData();
    form.set("ticketType", "standard");
    form.set("attendee.email", "ada@example.org");
    form.set("answers.coc", "on");
    expect(orderRequestFromForm(form, "en").request).toEqual({
      ticketType: "standard",
      attendee: { email: "ada@example.org" },
      answers: { coc: "on" },
      locale: "en",
      billing: null,
    });
  });

  it("reads the invoice details as the request's billing, and their empty fields (the preset country) as none", () => {
    const form = new FormData();
    form.set("ticketType", "standard");
    form.set("billing.country", "FR");
    form.set("billing.siren", " ");
    expect(orderRequestFromForm(form, "en").request).toMatchObject({ billing: null });
    form.set("billing.organisation", "Acme SAS");
    expect(orderRequestFromForm(form, "en").request).toMatchObject({
      billing: { organisation: "Acme SAS", country: "FR", siren: " " },
    });
  });

  it("reads how the order is to be paid, for one attendee as for a group", () => {
    const single = new FormData();
    single.set("ticketType", "standard");
    single.set("paymentMethod", "transfer");
    expect(orderRequestFromForm(single, "fr").request).toMatchObject({ paymentMethod: "transfer" });
    const group = new FormData();
    group.set("buyer.email", "jeanne@acme.example");
    group.set("tickets.0.ticketType", "standard");
    group.set("paymentMethod", "transfer");
    expect(orderRequestFromForm(group, "fr").request).toMatchObject({ paymentMethod: "transfer" });
    group.delete("paymentMethod");
    expect(orderRequestFromForm(group, "fr").request).not.toHaveProperty("paymentMethod", "transfer");
  });

  it("nests a group's blocks in their order, as the API's buyer and tickets", () => {
    const form = new FormData();
    form.set("buyer.firstName", "Jeanne");
    form.set("buyer.email", "jeanne@acme.example");
    form.set("buyer.company", "Acme");
    form.set("tickets.10.ticketType", "community");
    form.set("tickets.10.attendee.email", "eleven@acme.example");
    form.set("tickets.2.ticketType", "standard");
    form.set("tickets.2.attendee.firstName", "Ada");
    form.set("tickets.2.answers.tshirt", "m");
    expect(orderRequestFromForm(form, "fr").request).toEqual({
      buyer: { firstName: "Jeanne", email: "jeanne@acme.example", company: "Acme" },
      tickets: [
        { ticketType: "standard", attendee: { firstName: "Ada" }, answers: { tshirt: "m" } },
        { ticketType: "community", attendee: { email: "eleven@acme.example" }, answers: {} },
      ],
      locale: "fr",
      billing: null,
    });
  });

  it("fills a block ticked 'this is me' from the buyer where it was left blank", () => {
    const form = new FormData();
    form.set("buyer.firstName", "Jeanne");
    form.set("buyer.lastName", "Martin");
    form.set("buyer.email", "jeanne@acme.example");
    form.set("tickets.0.ticketType", "standard");
    form.set("tickets.0.buyerAttends", "on");
    form.set("tickets.0.attendee.firstName", "Jeanne-Marie");
    form.set("tickets.0.attendee.email", " ");
    form.set("tickets.1.ticketType", "standard");
    const { tickets } = orderRequestFromForm(form, "fr").request as { tickets: { attendee: unknown }[] };
    expect(tickets.map((ticket) => ticket.attendee)).toEqual([
      { firstName: "Jeanne-Marie", lastName: "Martin", email: "jeanne@acme.example" },
      {},
    ]);
  });
});

describe("ticketQuantities", () => {
  const types = [
    { code: "standard", max: 4 },
    { code: "community", max: 0 },
    { code: "supporter", max: 10 },
  ];

  it("keeps each count within what one order may hold of the type, and reads anything else as none", () => {
    const asked = ticketQuantities(
      { "quantity.standard": "9", "quantity.community": "2", "quantity.supporter": ["1", "2"], ticket: "x" },
      types,
    );
    expect(Object.fromEntries(asked)).toEqual({ standard: 4, community: 0, supporter: 0 });
    expect(
      Object.fromEntries(ticketQuantities({ "quantity.supporter": "-1", "quantity.standard": "2" }, types)),
    ).toEqual({ standard: 2, community: 0, supporter: 0 });
  });
});

describe("groupOrderFormValues", () => {
  it("refills the buyer and each ticket by position, with 'this is me' where the buyer attends", () => {
    const ticket = { lastName: "L", company: null, answers: {} };
    const values = groupOrderFormValues({
      buyerFirstName: "Jeanne",
      buyerLastName: "Martin",
      buyerEmail: "jeanne@acme.example",
      buyerCompany: "Acme",
      tickets: [
        { ...ticket, position: 2, firstName: "Ada", email: "ada@acme.example", answers: { coc: true } },
        { ...ticket, position: 1, firstName: "Jeanne", email: "jeanne@acme.example", company: "Acme" },
      ],
    });
    expect(values).toMatchObject({
      "buyer.company": "Acme",
      "tickets.0.attendee.firstName": "Jeanne",
      "tickets.0.buyerAttends": "on",
      "tickets.1.attendee.email": "ada@acme.example",
      "tickets.1.answers.coc": "on",
    });
    expect(orderRequestFromForm(formDataOf(values), "fr").request).toMatchObject({
      buyer: { firstName: "Jeanne", email: "jeanne@acme.example", company: "Acme" },
      tickets: [{ attendee: { email: "jeanne@acme.example" } }, { attendee: { email: "ada@acme.example" } }],
    });
  });
});

function formDataOf(values: Record<string, string>): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(values)) form.set(name, value);
  return form;
}

describe("shortTicketTypes", () => {
  const asked = [
    { code: "standard", count: 3 },
    { code: "community", count: 1 },
    { code: "supporter", count: 2 },
  ];

  it("names the types with fewer seats left than asked, with how many are left", () => {
    const params = { left: 2, "left.standard": 2, "left.community": 5, "left.supporter": 0 };
    expect(shortTicketTypes(asked, params)).toEqual([
      { code: "standard", count: 3, left: 2 },
      { code: "supporter", count: 2, left: 0 },
    ]);
  });

  it("names none without a sold-out answer's counts", () => {
    expect(shortTicketTypes(asked, undefined)).toEqual([]);
    expect(shortTicketTypes(asked, { left: 0 })).toEqual([]);
  });
});
