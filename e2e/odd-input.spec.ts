import { randomUUID } from "node:crypto";
import type { APIRequestContext, APIResponse } from "@playwright/test";
import { createApiToken } from "@/lib/auth/api-tokens";
import { registerAttendee } from "@/lib/orders/register";
import { signTicketCode, ticketKeysFrom } from "@/lib/tickets/codes";
import { account } from "./support/back-office";
import { expect, test, uniqueEmail } from "./support/database";
import { problemOf } from "./support/problem";

const keys = () => ticketKeysFrom(process.env.TICKET_SIGNING_KEY!);

// Text that must never reach Postgres or crash a handler: NUL, overlong and truncated UTF-8, a lone
// continuation byte, a malformed escape, wildcards, and far too much of it.
const ODD_QUERY = ["%00", "a%00b", "%C0%AF", "%E0%A4%A", "%FF", "%", "%25%25", "..%2F..%2Fetc", "x".repeat(3000)];
// In a path segment too, escapes that do not decode (%C0%AF, %FF, a lone %), also once decoded (%25%25, which
// the locale middleware decodes again): Next would answer them 500 before our routes run; the proxy refuses them.
const ODD_SEGMENTS = ["%00", "a%00b", "%2500", "..%2F..%2Fetc", "x".repeat(3000), "%C0%AF", "%FF", "%", "%25%25"];
const ODD_STRINGS = ["a\u0000b", "\ud800", "\udfff x", "\u202egnp.exe", "x".repeat(5000), "%_%", "' OR 1=1 --"];

type Probe = { label: string; send: (request: APIRequestContext) => Promise<APIResponse> };

function probes(slug: string, token: string, deviceToken: string, code: string, lastName: string): Probe[] {
  const list: Probe[] = [];
  const get = (path: string, headers: Record<string, string> = {}) =>
    list.push({
      label: `GET ${path.slice(0, 120)}`,
      send: (request) => request.get(path, { headers, maxRedirects: 0 }),
    });
  const post = (
    path: string,
    body: string | Buffer,
    headers: Record<string, string> = { "content-type": "application/json" },
  ) =>
    list.push({
      label: `POST ${path.slice(0, 80)} ${String(body).slice(0, 60)}`,
      send: (request) => request.post(path, { data: body, headers, maxRedirects: 0 }),
    });
  const auth = { authorization: `Bearer ${token}` };
  const device = { authorization: `Bearer ${deviceToken}` };

  for (const odd of ODD_QUERY) {
    get(`/api/v1/editions/${slug}?q=${odd}`);
    get(`/api/v1/checkin/${slug}/search?q=${odd}`, device);
    get(`/api/v1/editions/${slug}/attendees?q=${odd}`, auth);
    get(
      `/api/v1/editions/${slug}/attendees?answer=tshirt%3D${odd}&ticketType=${odd}` +
        `&format=${odd}&columns=${odd}&lang=${odd}`,
      auth,
    );
    get(`/en/editions/${slug}?ticket=${odd}`);
    get(`/fr/editions/${slug}/register?ticket=${odd}&from=${odd}`);
    get(`/admin/language?to=${odd}`, { referer: `http://localhost/admin/${odd}` });
  }
  for (const odd of ODD_SEGMENTS) {
    get(`/api/v1/editions/${odd}`);
    get(`/api/v1/editions/${slug}${odd}`);
    get(`/api/v1/editions/${odd}/attendees`, auth);
    get(`/api/v1/checkin/${odd}`, device);
    post(`/api/v1/editions/${odd}/registrations`, "{}");
    get(`/en/editions/${odd}`);
    get(`/fr/editions/${odd}/register`);
    get(`/checkin/${odd}`);
    get(`/en/orders/${odd}/ticket.pdf`);
    get(`/fr/orders/${odd}/calendar.ics`);
    get(`/fr/orders/${odd}/cancel`);
  }
  // Server actions Next itself would answer 500: posted from another site, or larger than its limit.
  const action = { "next-action": "0".repeat(42), "content-type": "text/plain;charset=UTF-8" };
  post(`/en/editions/${slug}/register`, "[]", { ...action, origin: "https://evil.example" });
  post(`/en/editions/${slug}/register`, "[]", { ...action, origin: "null" });
  post(`/en/editions/${slug}/register`, "x".repeat(2 * 1024 * 1024), action);
  for (const referer of [
    "not a url",
    "http://[::1",
    "javascript:alert(1)",
    "//evil.example/admin",
    "http://localhost:1/admin\u0000",
  ]) {
    get("/admin/language?to=en", { referer: referer.replace("\u0000", "%00") });
  }

  const attendee = { firstName: "Odd", lastName, email: uniqueEmail("odd") };
  for (const odd of ODD_STRINGS) {
    post(
      `/api/v1/editions/${slug}/registrations`,
      JSON.stringify({
        ticketType: odd,
        attendee: { ...attendee, firstName: odd },
        answers: { [odd]: odd },
        locale: odd,
      }),
    );
    post("/api/v1/checkin", JSON.stringify({ edition: odd, code: odd, nonce: randomUUID(), deviceId: "fuzz" }), {
      "content-type": "application/json",
      ...device,
    });
    post("/api/v1/checkin", JSON.stringify({ edition: slug, code: odd, nonce: odd, deviceId: odd }), {
      "content-type": "application/json",
      ...device,
    });
  }
  for (const scannedAt of [
    "0000-01-01T00:00:00Z",
    "9999-12-31T23:59:59Z",
    "-271821-04-20T00:00:00Z",
    "2027-13-45T99:99:99Z",
  ]) {
    post(
      "/api/v1/checkin",
      JSON.stringify({ edition: slug, code: "G1forged", nonce: randomUUID(), deviceId: "fuzz", scannedAt }),
      { "content-type": "application/json", ...device },
    );
  }
  const deep = "[".repeat(30_000) + "]".repeat(30_000);
  for (const body of [
    "{nope",
    "",
    "null",
    "[]",
    '"x"',
    deep,
    '{"a":"\\u0000"}',
    '{"edition":{"$ne":1}}',
    Buffer.from([0x7b, 0x22, 0xc0, 0xaf, 0x22, 0x3a, 0x31, 0x7d]),
  ]) {
    post(`/api/v1/editions/${slug}/registrations`, body);
    post("/api/v1/checkin", body, { "content-type": "application/json", ...device });
    post("/api/stripe/webhook", body, { "content-type": "application/json", "stripe-signature": "t=1,v1=00" });
  }
  const huge = Buffer.alloc(2 * 1024 * 1024, 0x61);
  post(`/api/v1/editions/${slug}/registrations`, huge);
  post("/api/v1/checkin", huge, { "content-type": "application/json", ...device });
  post("/api/stripe/webhook", huge, { "content-type": "application/json", "stripe-signature": "t=1,v1=00" });
  post("/api/v1/checkin", JSON.stringify({ edition: slug, code }), { "content-type": "text/plain", ...device });
  return list;
}

test("odd input to every public route gets a 4xx (or a page), never a 5xx, and changes nothing", async ({
  request,
  db,
  newEdition,
}) => {
  test.setTimeout(120_000);
  const edition = await newEdition({
    capacity: 10,
    questions: [{ key: "tshirt", type: "SELECT", options: [{ value: "m", labelFr: "M", labelEn: "M" }] }],
  });
  const organiser = await db.user.findUniqueOrThrow({ where: { email: account("ORGANISER").email } });
  const exportToken = await createApiToken(db, organiser, {
    name: "fuzz export",
    scope: "EXPORT",
    editionId: edition.id,
  });
  const doorToken = await createApiToken(db, organiser, { name: "fuzz door", scope: "CHECKIN", editionId: edition.id });
  if (!exportToken.ok || !exportToken.token || !doorToken.ok || !doorToken.token) throw new Error("no token");
  const registered = await registerAttendee(
    db,
    edition.slug,
    { ticketType: "free", attendee: { firstName: "Ada", lastName: "Fuzz", email: uniqueEmail("fuzz") }, locale: "en" },
    { holdMinutes: 35 },
  );
  if (!registered.ok) throw new Error(registered.reason);
  const ticket = await db.ticket.findFirstOrThrow({ where: { orderId: registered.order.id } });
  const code = signTicketCode(
    { ticketId: ticket.id, editionId: edition.id, codeVersion: ticket.codeVersion },
    keys().privateKey,
  );

  const lastName = `Fuzz-${randomUUID()}`;
  const state = async () => ({
    orders: await db.order.count({ where: { editionId: edition.id } }),
    tickets: await db.ticket.findMany({
      where: { editionId: edition.id },
      select: { id: true, firstName: true, checkedInAt: true, status: true },
    }),
    admittedScans: await db.checkInScan.count({ where: { editionId: edition.id, result: "ADMITTED" } }),
    // Registrations aimed at other editions (odd slugs) would carry this name, wherever they landed.
    strays: await db.ticket.count({ where: { lastName } }),
  });
  const before = await state();

  const failures: string[] = [];
  const statuses = new Map<number, number>();
  for (const probe of probes(edition.slug, exportToken.token, doorToken.token, code, lastName)) {
    try {
      const response = await probe.send(request);
      statuses.set(response.status(), (statuses.get(response.status()) ?? 0) + 1);
      if (response.status() >= 500) failures.push(`${response.status()} ${probe.label}`);
    } catch (error) {
      // A dropped connection is as bad as a 500.
      failures.push(`no response: ${probe.label}: ${(error as Error).message.split("\n")[0]}`);
    }
  }
  test.info().annotations.push({ type: "statuses", description: JSON.stringify(Object.fromEntries(statuses)) });
  expect(failures).toEqual([]);
  expect(statuses.get(413)).toBeGreaterThanOrEqual(3);
  expect(await state()).toEqual(before);
});

test("odd input gets the one error format (problem details) with a clear code", async ({ request, newEdition }) => {
  const edition = await newEdition({ capacity: 5 });
  const nul = await request.get(`/api/v1/editions/${edition.slug}%00`);
  expect([nul.status(), nul.headers()["content-type"], await nul.json()]).toEqual([
    400,
    "application/problem+json",
    problemOf(400, "invalid_characters"),
  ]);
  const big = await request.post(`/api/v1/editions/${edition.slug}/registrations`, {
    data: Buffer.alloc(70 * 1024, 0x20),
    headers: { "content-type": "application/json" },
  });
  expect([big.status(), await big.json()]).toEqual([
    413,
    problemOf(413, "payload_too_large", { limitBytes: 64 * 1024 }),
  ]);
  const spoof = await request.post(`/api/v1/editions/${edition.slug}/registrations`, {
    data: {
      ticketType: "free",
      attendee: {
        firstName: "\u202egnp.exe",
        lastName: "Admin\u2066\u2069",
        email: uniqueEmail("spoof"),
        company: "Corp\u2028Line",
      },
      locale: "fr",
    },
  });
  expect(spoof.status()).toBe(422);
  const { fieldErrors } = await spoof.json();
  expect(fieldErrors["attendee.firstName"]).toEqual([
    { code: "invisible_characters", message: expect.stringContaining("invisibles") },
  ]);
  expect(fieldErrors["attendee.lastName"][0].code).toBe("invisible_characters");
  expect(fieldErrors["attendee.company"][0].code).toBe("invalid_characters");
  const unsigned = await request.post("/api/v1/checkin", {
    data: { edition: edition.slug, code: "x", nonce: randomUUID(), deviceId: "d" },
  });
  expect([unsigned.status(), (await unsigned.json()).error]).toEqual([401, "unauthorized"]);
});

test("a scanner's year 0000 or 9999 is brought into the edition's window", async ({ request, db, newEdition }) => {
  const edition = await newEdition({ capacity: 5 });
  const organiser = await db.user.findUniqueOrThrow({ where: { email: account("ORGANISER").email } });
  const door = await createApiToken(db, organiser, { name: "door", scope: "CHECKIN", editionId: edition.id });
  if (!door.ok || !door.token) throw new Error("no token");
  const headers = { authorization: `Bearer ${door.token}` };
  for (const scannedAt of ["0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z"]) {
    const registered = await registerAttendee(
      db,
      edition.slug,
      {
        ticketType: "free",
        attendee: { firstName: "Time", lastName: "Traveller", email: uniqueEmail("time") },
        locale: "en",
      },
      { holdMinutes: 35 },
    );
    if (!registered.ok) throw new Error(registered.reason);
    const ticket = await db.ticket.findFirstOrThrow({ where: { orderId: registered.order.id } });
    const code = signTicketCode(
      { ticketId: ticket.id, editionId: edition.id, codeVersion: ticket.codeVersion },
      keys().privateKey,
    );
    const response = await request.post("/api/v1/checkin", {
      headers,
      data: { edition: edition.slug, code, nonce: randomUUID(), deviceId: "door", scannedAt, offlineAdmitted: true },
    });
    expect(response.status()).toBe(200);
    const checkedInAt = Date.parse((await response.json()).checkedInAt);
    expect(checkedInAt).toBeGreaterThanOrEqual(
      Math.min(edition.startsAt.getTime(), Date.now()) - 24 * 3600_000 - 60_000,
    );
    expect(checkedInAt).toBeLessThanOrEqual(Date.now());
  }
});

test("redirects go to APP_URL or a relative path, never to the address the server was reached at", async ({
  baseURL,
  playwright,
}) => {
  // The app is reached here as 127.0.0.1, as a proxy would reach it; APP_URL says localhost.
  const appUrl = new URL(baseURL!);
  const direct = await playwright.request.newContext({ baseURL: `http://127.0.0.1:${appUrl.port}` });
  try {
    const back = await direct.get("/admin/language?to=en", {
      headers: { referer: `${appUrl.origin}/admin/editions?status=open` },
      maxRedirects: 0,
    });
    expect([back.status(), back.headers().location]).toEqual([303, `${appUrl.origin}/admin/editions?status=open`]);
    const home = await direct.get("/admin/language?to=fr", { headers: { referer: "http://[::1" }, maxRedirects: 0 });
    expect([home.status(), home.headers().location]).toEqual([303, `${appUrl.origin}/admin`]);
    const cancel = await direct.get(`/fr/orders/${"A".repeat(32)}/cancel`, { maxRedirects: 0 });
    expect([cancel.status(), cancel.headers().location]).toEqual([303, `${appUrl.origin}/fr`]);
  } finally {
    await direct.dispose();
  }
});
