import { getTranslations } from "next-intl/server";

/**
 * The outcome of an action that redirected back to its page (because the page changed under it),
 * named by `?done=` with a key of the "adminForm" catalogue; unknown keys show nothing.
 */
export async function DoneNotice({ done }: { done?: string | string[] }) {
  const t = await getTranslations("adminForm");
  if (typeof done !== "string" || !t.has(done)) return null;
  return (
    <p className="form-message success" role="status">
      {t(done)}
    </p>
  );
}
