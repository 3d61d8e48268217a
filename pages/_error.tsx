import type { NextPageContext } from "next";
import en from "@/lib/i18n/messages/en.json";
import fr from "@/lib/i18n/messages/fr.json";

// Next answers a request it cannot route (a path whose %-escapes do not decode, such as %C0%AF or
// %FF) with its Pages Router error page. An App Router project has none, so those requests ended
// as a bare 500; with this page they get the 400 Next meant, in both languages (no locale is known).
function ErrorPage({ statusCode }: { statusCode: number }) {
  const key = statusCode < 500 ? "badAddress" : "failed";
  return (
    <main style={{ fontFamily: "system-ui, sans-serif", maxWidth: "40rem", margin: "4rem auto", padding: "0 1rem" }}>
      <h1 lang="fr">{fr.door[key]}</h1>
      <p lang="en">{en.door[key]}</p>
      <p>
        <a href="/">Guichet</a>
      </p>
    </main>
  );
}

ErrorPage.getInitialProps = ({ res, err }: NextPageContext) => ({ statusCode: res?.statusCode ?? err?.statusCode ?? 500 });

export default ErrorPage;
