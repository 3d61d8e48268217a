import { notFound } from "next/navigation";

// Unknown paths under a locale get the localized 404 rather than the bare root one.
export default function CatchAll() {
  notFound();
}
