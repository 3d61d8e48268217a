import { describe, expect, it } from "vitest";
import { z } from "zod";
import { emailLinkFields, emailLinkState } from "./email-link-state";
import { publicAction } from "./public-action";

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.append(key, value);
  return data;
};

describe("publicAction", () => {
  const rename = publicAction(
    z.object({ name: z.string().min(1, "required") }),
    async ({ name }, _formData, slug: string, locale: string) => ({ done: `${slug}/${locale}/${name}` }),
  );

  it("hands the parsed fields and the page's bound arguments to the handler", async () => {
    expect(await rename("paris", "fr", {}, form({ name: "Ada" }))).toEqual({ done: "paris/fr/Ada" });
  });

  it("refuses what the schema refuses before the handler, giving back what was typed", async () => {
    expect(await rename("paris", "fr", {}, form({ name: "", $ACTION_ID_1: "x" }))).toEqual({
      reason: "invalid",
      fieldErrors: { name: ["required"] },
      values: { name: "" },
    });
  });

  it("answers an 'email me a link' request alike for any address, and refills the address", async () => {
    const request = publicAction(emailLinkFields, async ({ email }) =>
      emailLinkState(email.includes("@") ? "sent_if_known" : "invalid_email", email),
    );
    const sent = { done: "sent_if_known", values: { email: "ada@example.org" } };
    expect(await request({}, form({ email: "ada@example.org" }))).toEqual(sent);
    expect(await request({}, form({}))).toEqual({ reason: "invalid_email", values: { email: "" } });
  });
});
