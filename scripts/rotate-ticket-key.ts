// `npm run tickets:rotate-key`, with the production environment loaded (set -a; . /etc/guichet/guichet.env; set +a):
// prints a new TICKET_SIGNING_KEY and the TICKET_PREVIOUS_KEYS that keep every code already sent valid until its
// edition ends. Changes nothing: put both lines in the environment file of every host, then restart the instances.
import { createPrismaClient } from "@/lib/db/prisma";
import { parseEnv } from "@/lib/env";
import { formatPreviousTicketKeys, rotateTicketKey } from "@/lib/tickets/key-rotation";

async function main() {
  const settings = parseEnv();
  if (!settings.TICKET_SIGNING_KEY) throw new Error("TICKET_SIGNING_KEY is not set: there is no key to rotate.");
  const db = createPrismaClient(settings.DATABASE_URL, 1);
  try {
    const rotated = await rotateTicketKey(db, {
      secret: settings.TICKET_SIGNING_KEY,
      previous: settings.TICKET_PREVIOUS_KEYS ?? [],
    });
    console.log(`TICKET_SIGNING_KEY=${rotated.signingKey}`);
    console.log(`TICKET_PREVIOUS_KEYS=${formatPreviousTicketKeys(rotated.previousKeys)}`);
    console.error(
      rotated.currentKeyUntil
        ? `Codes signed so far stay valid until ${rotated.currentKeyUntil} ends (UTC), when the last edition ends.`
        : "No edition is still to come: codes signed so far are needed no more.",
    );
    console.error("Replace both lines in the environment file of every host, then restart each instance.");
  } finally {
    await db.$disconnect();
  }
}

main().catch((error) => {
  console.error(`tickets:rotate-key: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
