import { notFound } from "next/navigation";

export const dynamic = "force-dynamic";

// Where the export route sends a link that no longer opens: answered as a 404 (it names nothing that exists), with
// the explanation in this folder's not-found.tsx, in the page's language.
export default function ExpiredExportLinkPage() {
  notFound();
}
