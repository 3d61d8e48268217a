import jsQR from "jsqr";
import { PNG } from "pngjs";
import { expect, test } from "./support/database";
import { signInAs } from "./support/back-office";

// Usability review D12: the door phone's link was an 80-character URL to type. The back office now shows its QR.
test("a door phone is enrolled by scanning the QR code the back office shows (en)", async ({
  page,
  context,
  browser,
  newEdition,
}) => {
  const edition = await newEdition({ capacity: 5 });
  await context.addCookies([{ name: "NEXT_LOCALE", value: "en", url: "http://localhost" }]);
  await signInAs(context, "ORGANISER");
  await page.goto("/admin/api-tokens");
  const form = page.getByRole("region", { name: "Create a token" });
  await form.getByLabel("Name").fill("Door phone 1");
  await form.getByLabel("Use").selectOption("CHECKIN");
  await form.getByLabel("Edition").selectOption(edition.id);
  await form.getByRole("button", { name: "Create the token" }).click();

  const qr = form.getByRole("img", { name: /QR code of the device link/ });
  await expect(qr).toBeVisible();
  const link = (await form.locator(".secret code").textContent()) ?? "";
  expect(link).toMatch(new RegExp(`/checkin/${edition.slug}#device=gch_`));
  const png = PNG.sync.read(await qr.screenshot());
  expect(jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data).toBe(link);

  // What the phone's camera reads opens the scanner for that edition, with no account on the phone.
  const phone = await browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    locale: "en",
  });
  const door = await phone.newPage();
  await door.goto(link);
  await expect(door.getByRole("heading", { level: 1 })).toHaveText(`Check-in · ${edition.nameEn}`);
  await phone.close();
});
