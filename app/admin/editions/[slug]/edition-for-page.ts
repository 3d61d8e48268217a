import "server-only";
import { notFound } from "next/navigation";
import { requirePermission } from "@/lib/auth/actor";
import type { Permission } from "@/lib/auth/roles";
import { db } from "@/lib/db/prisma";
import { getEditionForOrganisers } from "@/lib/editions/admin-queries";

/** An edition page's start: the permission check, then the edition of the URL, or a 404. */
export async function editionForPage(params: Promise<{ slug: string }>, permission: Permission = "editions:manage") {
  const actor = await requirePermission(permission);
  const edition = await getEditionForOrganisers(db(), (await params).slug);
  if (!edition) notFound();
  return { actor, edition };
}
