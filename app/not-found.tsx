import Link from "next/link";
import en from "@/lib/i18n/messages/en.json" with { type: "json" };
import fr from "@/lib/i18n/messages/fr.json" with { type: "json" };

// Requests outside any locale (e.g. /xx/…) land here, before a language is known: say it in both.
export default function RootNotFound() {
  return (
    <html lang="fr">
      <body>
        <main id="content" className="page narrow">
          <h1>
            {fr.errorPage.notFoundTitle} · <span lang="en">{en.errorPage.notFoundTitle}</span>
          </h1>
          <p>
            <Link href="/fr">{fr.errorPage.home}</Link> ·{" "}
            <Link href="/en" lang="en">
              {en.errorPage.home}
            </Link>
          </p>
        </main>
      </body>
    </html>
  );
}
