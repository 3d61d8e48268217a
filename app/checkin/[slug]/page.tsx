import { notFound } from "next/navigation";
import { Scanner } from "@/components/checkin/scanner";
import { isSafeText } from "@/lib/forms/fields";

// A shell with no data in it, so the service worker can keep it for offline use: the scanner
// fetches the edition through the API, with the staff member's session or the device's token.
export default async function ScannerPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  if (!isSafeText(slug)) notFound();
  return <Scanner slug={slug} />;
}
