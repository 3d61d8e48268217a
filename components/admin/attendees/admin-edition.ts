import type { getEditionForOrganisers } from "@/lib/editions/admin-queries";

/** The edition as the back office's edition pages load it. */
export type AdminEdition = NonNullable<Awaited<ReturnType<typeof getEditionForOrganisers>>>;
