import "server-only";
import { notFound } from "next/navigation";
import { cache } from "react";
import { db } from "@/lib/db/prisma";
import { getEditionOffer } from "./queries";

/** The edition behind a public page, read once per request (metadata and page share it), or a 404. */
export const loadEditionOfferOr404 = cache(async (slug: string) => {
  const offer = await getEditionOffer(db(), slug);
  if (!offer) notFound();
  return offer;
});
