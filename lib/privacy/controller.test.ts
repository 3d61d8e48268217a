import { describe, expect, it } from "vitest";
import { privacyController } from "./controller";

const profile = {
  legalName: "Association Guichet",
  addressLines: ["12 rue des Lilas", "Bâtiment B"],
  postcode: "75011",
  city: "Paris",
  country: "FR",
  email: "dpo@example.org",
};

describe("privacyController", () => {
  it("names the organiser's legal identity once the profile is filled", () => {
    expect(privacyController(profile, "Guichet <tickets@example.org>", "Guichet")).toEqual({
      name: "Association Guichet",
      address: { lines: ["12 rue des Lilas", "Bâtiment B", "75011 Paris"], country: "FR" },
      email: "dpo@example.org",
    });
  });

  it("falls back on the emails' sender, then on the app's name", () => {
    expect(privacyController(null, '"Conf 2027" <hello@conf.example>', "Guichet")).toEqual({
      name: "Conf 2027",
      address: null,
      email: "hello@conf.example",
    });
    expect(privacyController(null, "tickets@conf.example", "Guichet")).toEqual({
      name: "Guichet",
      address: null,
      email: "tickets@conf.example",
    });
  });
});
