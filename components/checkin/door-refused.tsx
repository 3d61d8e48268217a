"use client";

import { useTranslations } from "next-intl";
import Link from "next/link";
import { SwitchAccount } from "@/components/switch-account";

type Props = { slug: string; access: "signed_out" | "not_assigned"; signedInAs: string | null; queued: number };

// What the scanner shows instead of itself when the server refuses this device or person here.
export function DoorRefused({ slug, access, signedInAs, queued }: Props) {
  const t = useTranslations("checkin");
  const tDoor = useTranslations("door");
  const tStaff = useTranslations("staffAndAudit");
  const kept = queued > 0 && (
    <p className="form-message" role="status" data-testid="checkin-kept">
      {tDoor("queuedKept", { count: queued })}
    </p>
  );
  if (access === "not_assigned" && signedInAs) {
    return (
      <div className="checkin-denied">
        <h1>{t("notAssigned")}</h1>
        <p>{tStaff("askOrganiser")}</p>
        {kept}
        <SwitchAccount email={signedInAs} callbackUrl={`/checkin/${slug}`} />
        <p>
          <Link href="/checkin">{tStaff("yourEditions")}</Link>
        </p>
      </div>
    );
  }
  return (
    <div className="checkin-denied">
      <h1>{t(access === "signed_out" ? "signInNeeded" : "notAssigned")}</h1>
      <p>{access === "signed_out" ? t("signInHelp") : tStaff("tokenOtherEdition")}</p>
      {kept}
      <p>
        <a className="button" href={`/admin/sign-in?callbackUrl=/checkin/${slug}`}>
          {t("signIn")}
        </a>
      </p>
    </div>
  );
}
