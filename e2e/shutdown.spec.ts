import { request as httpRequest, type IncomingMessage } from "node:http";
import { createEdition, createOrganiser } from "@/devtools/testing/fixtures";
import { startSmtpCapture } from "@/devtools/testing/smtp-capture";
import { createApiToken } from "@/lib/auth/api-tokens";
import { createPrismaClient, type Db } from "@/lib/db/prisma";
import { expect, test, uniqueEmail } from "./support/database";
import { startInstances } from "./support/instances";

// One instance started from deploy/guichet@.service, on a database of its own (startInstances clones one), so that its
// email worker is the only one to take the registration's job.
test("SIGTERM: ready turns 503, requests and the email in flight finish, then the process exits 0", async () => {
  test.setTimeout(120_000);
  // A relay that answers each message 3 s after its data: the confirmation is still being sent at SIGTERM.
  const smtp = await startSmtpCapture(undefined, { answerDataAfterMs: 3000 });
  let cluster: Awaited<ReturnType<typeof startInstances>> | undefined;
  let db: Db | undefined;
  try {
    cluster = await startInstances(1, {
      SMTP_URL: smtp.url,
      SHUTDOWN_DRAIN_SECONDS: "1",
      REGISTRATION_CHALLENGE: "off",
    });
    db = createPrismaClient(cluster.databaseUrl, 2);
    const [instance] = cluster.instances;
    const { baseUrl } = instance;
    const edition = await createEdition(db, { capacity: 3100 });
    await seedConfirmedTickets(db, edition, 3000);
    const organiser = await createOrganiser(db);
    const token = await createApiToken(db, organiser, { name: "door", scope: "CHECKIN", editionId: edition.id });
    if (!token.ok || !token.token) throw new Error("no token");

    const email = uniqueEmail("shutdown");
    const registered = await fetch(`${baseUrl}/api/v1/editions/${edition.slug}/registrations`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        ticketType: "free",
        attendee: { firstName: "Ada", lastName: "Byron", email },
        locale: "en",
      }),
    });
    expect(registered.status).toBe(201);
    await expect.poll(() => smtp.connections, { timeout: 20_000 }).toBeGreaterThan(0);
    const snapshot = await openHalfRead(baseUrl, `/api/v1/checkin/${edition.slug}`, token.token);

    const signalled = Date.now();
    instance.process.kill("SIGTERM");
    const readiness = async () => {
      const ready = await fetch(`${baseUrl}/api/ready`);
      return [ready.status, await ready.json()];
    };
    // Seen while the drain second lasts: once it is over, connections are refused and the poll could only fail.
    await expect.poll(readiness, { intervals: [50], timeout: 5000 }).toEqual([503, { status: "draining" }]);
    await expect
      .poll(
        async () =>
          fetch(`${baseUrl}/api/health`).then(
            () => "answered",
            (error) => error.cause?.code,
          ),
        {
          timeout: 10_000,
        },
      )
      .toBe("ECONNREFUSED");

    const body = JSON.parse(await snapshot.rest());
    // The 3,000 seeded and the registration's.
    expect(body.tickets).toHaveLength(3001);
    expect(await instance.exited).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(15_000);

    const [outbox] = await db.$queryRaw<{ id: string; status: string }[]>`
      SELECT id::text AS id, status::text AS status FROM "EmailOutbox" WHERE "toAddress" = ${email}`;
    expect(outbox.status).toBe("SENT");
    const jobs = await db.$queryRaw<{ state: string }[]>`
      SELECT state::text AS state FROM pgboss.job WHERE data->>'outboxId' = ${outbox.id}`;
    expect(jobs).toEqual([{ state: "completed" }]);
    expect(smtp.messages).toHaveLength(1);

    const steps = instance
      .output()
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as { shutdown?: string; time: string })
      // In the order they happened: lines written just before exit may reach the pipe out of order.
      .toSorted((a, b) => a.time.localeCompare(b.time))
      .flatMap((line) => (line.shutdown ? [line.shutdown] : []));
    expect(steps).toEqual([
      "draining",
      "sweeps-stopped",
      "drained",
      "http-closed",
      "sweeps-ended",
      "email-stopped",
      "db-disconnected",
      "exit",
    ]);
  } finally {
    await db?.$disconnect();
    await cluster?.stop();
    await smtp.stop();
  }
});

/** Confirmed orders of one ticket each, written in two statements (the seat triggers count them). */
async function seedConfirmedTickets(db: Db, edition: { id: string; ticketTypes: { id: string }[] }, count: number) {
  await db.$executeRaw`
    INSERT INTO "Order" (id, reference, "accessToken", "editionId", "buyerFirstName", "buyerLastName", "buyerEmail",
                         locale, status, "amountCents", currency, "confirmedAt", "updatedAt")
    SELECT gen_random_uuid(), 'S' || g, 'shutdown-token-' || g, ${edition.id}::uuid, 'Ada', 'Lovelace',
           'seat' || g || '@example.org', 'en', 'CONFIRMED', 0, 'EUR', now(), now()
    FROM generate_series(1, ${count}::integer) g`;
  await db.$executeRaw`
    INSERT INTO "Ticket" (id, "orderId", "editionId", "ticketTypeId", "firstName", "lastName", email, "priceCents",
                          "updatedAt")
    SELECT gen_random_uuid(), o.id, o."editionId", ${edition.ticketTypes[0].id}::uuid, 'Ada', 'Lovelace',
           o."buyerEmail", 0, now()
    FROM "Order" o WHERE o."editionId" = ${edition.id}::uuid`;
}

/** A GET whose first chunk is read, the rest left waiting until `rest()`. */
async function openHalfRead(baseUrl: string, path: string, token: string) {
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    const outgoing = httpRequest(new URL(path, baseUrl), { headers: { authorization: `Bearer ${token}` } });
    outgoing.on("response", resolve).on("error", reject).end();
  });
  expect(response.statusCode).toBe(200);
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve) =>
    response.once("data", (chunk: Buffer) => {
      chunks.push(chunk);
      response.pause();
      resolve();
    }),
  );
  return {
    rest: () =>
      new Promise<string>((resolve, reject) => {
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => resolve(Buffer.concat(chunks).toString()));
        response.on("error", reject);
        response.resume();
      }),
  };
}
