"use server";

import { headers } from "next/headers";
import { db } from "@/lib/db/prisma";
import { resendTicketLinks, type ResendOutcome } from "@/lib/tickets/resend-link";

export type LostTicketState = { outcome?: ResendOutcome; email?: string };

export async function requestLostTicket(editionSlug: string, _previous: LostTicketState, formData: FormData): Promise<LostTicketState> {
  const email = formData.get("email");
  const forwarded = (await headers()).get("x-forwarded-for")?.split(",")[0]?.trim();
  const outcome = await resendTicketLinks(db(), { editionSlug, email, clientKey: forwarded || "direct" });
  return { outcome, email: typeof email === "string" ? email : "" };
}
