// The cookies next-auth keeps a database session in: plain over http (development, tests), with
// the __Secure- prefix over https. Read by the proxy (who may be signed in) and by sign-out.
export const SESSION_COOKIES = ["next-auth.session-token", "__Secure-next-auth.session-token"] as const;
