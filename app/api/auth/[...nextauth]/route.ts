import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/options";

// Built per request: the options need the environment, which `next build` does not have.
function handle(request: Request, context: { params: Promise<{ nextauth: string[] }> }) {
  return NextAuth(request as never, context as never, authOptions());
}

export { handle as GET, handle as POST };
