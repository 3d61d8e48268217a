import type { Edition, Message } from "@/lib/generated/prisma/client";
import { firstRecipientPerLocale, type RecipientRow } from "./recipients";
import { composeMessageEmail, type MessageRenderDeps } from "./render";

export type MessageEmailPreview = {
  recipient: RecipientRow;
  /** Null when the rows changed under the preview (the ticket of the address went away meanwhile). */
  email: { subject: string; html: string } | null;
};

/**
 * An organiser's message before it leaves, as its first recipient in each language (French first) would receive it
 * if it left now: the same rendering as the send, for a recipient not written yet, so a preview writes nothing.
 * Only the organisers' own messages: the standing ones are never drafts.
 */
export async function previewMessageEmails(
  deps: Omit<MessageRenderDeps, "signingKey">,
  message: Message & { edition: Edition },
  now: Date,
): Promise<MessageEmailPreview[]> {
  if (message.kind !== "CUSTOM") return [];
  const recipients = await firstRecipientPerLocale(deps.db, message, now);
  return Promise.all(
    recipients.map(async (recipient) => {
      const composed = await composeMessageEmail(deps, message, recipient);
      const sent = typeof composed === "object" && "send" in composed ? composed.send : null;
      return {
        recipient,
        email: sent && { subject: String(sent.subject ?? ""), html: String(sent.html ?? "") },
      };
    }),
  );
}
