import { useTranslations } from "next-intl";
import { signOut } from "@/app/admin/session-actions";

/**
 * Who is signed in, and a way out to another account that comes back to `callbackUrl`: for staff
 * refused somewhere because they are signed in with the wrong account.
 */
export function SwitchAccount({ email, callbackUrl }: { email: string; callbackUrl: string }) {
  const t = useTranslations("staffAndAudit");
  return (
    <>
      <p data-testid="signed-in-as">{t("signedInAs", { email })}</p>
      <form action={signOut}>
        <input type="hidden" name="callbackUrl" value={callbackUrl} />
        <button type="submit" className="button button-secondary">
          {t("switchAccount")}
        </button>
      </form>
    </>
  );
}
