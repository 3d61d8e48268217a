import { useCallback, useState } from "react";
import { deviceToken } from "./device";

export type DoorAccess = "unknown" | "ok" | "signed_out" | "not_assigned";

// Whether the server lets this device scan here, and the credentials every request carries.
export function useDoorAccess(slug: string) {
  const [access, setAccess] = useState<DoorAccess>("unknown");
  // Who the server says is signed in when it refuses them here: null for a device token.
  const [signedInAs, setSignedInAs] = useState<string | null>(null);

  const refused = useCallback(async (response: Response) => {
    if (response.status === 401) return setAccess("signed_out");
    const body = (await response.json().catch(() => ({}))) as { signedInAs?: unknown };
    setSignedInAs(typeof body.signedInAs === "string" ? body.signedInAs : null);
    setAccess("not_assigned");
  }, []);

  const headers = useCallback((): Record<string, string> => {
    const token = deviceToken(slug);
    return token ? { Authorization: `Bearer ${token}` } : {};
  }, [slug]);

  const granted = useCallback(() => setAccess("ok"), []);

  return { access, signedInAs, refused, headers, granted };
}

export type DoorCredentials = Pick<ReturnType<typeof useDoorAccess>, "refused" | "headers">;
