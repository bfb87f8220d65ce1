import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { db } from "@/lib/db";
import { signInSchema } from "./schemas";
import { TOO_MANY_ATTEMPTS } from "./login-throttle";
import { authenticate } from "./sign-in";
import { clientIp } from "@/lib/http/client-ip";
import { logError } from "@/lib/log";
import { endSession, liveSession, SessionEndedError, SESSION_MAX_AGE_S, startSession, touchSession } from "./sessions";

export const authOptions: NextAuthOptions = {
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
  pages: { signIn: "/sign-in", error: "/sign-in" },
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, req) {
        const parsed = signInSchema.safeParse(credentials);
        if (!parsed.success) return null;
        const headers = new Headers();
        for (const [name, value] of Object.entries(req?.headers ?? {})) {
          if (typeof value === "string") headers.set(name, value);
        }
        const outcome = await authenticate(db, { ...parsed.data, ip: clientIp(headers) });
        if (!outcome.ok && outcome.reason === "throttled") throw new Error(TOO_MANY_ATTEMPTS);
        if (!outcome.ok) return null;
        return outcome.user;
      },
    }),
  ],
  callbacks: {
    async jwt({ token, user }) {
      if (user) {
        token.uid = user.id;
        token.sid = await startSession(db, user.id);
        return token;
      }
      // Every read of the cookie (pages, actions, /api/auth/session, renewals) checks the row.
      const session = await liveSession(db, token.sid, token.uid);
      if (!session) throw new SessionEndedError();
      await touchSession(db, session.id);
      return token;
    },
    session({ session, token }) {
      if (session.user && typeof token.uid === "string") session.user.id = token.uid;
      return session;
    },
  },
  events: {
    // Sign-out ends the session on the server, so a copy of the cookie stops working too.
    async signOut({ token }) {
      if (typeof token?.sid === "string") await endSession(db, token.sid, "sign_out");
    },
  },
  logger: {
    error(code, metadata) {
      // An ended session is an expected answer ("signed out"), not a server error.
      if (code === "JWT_SESSION_ERROR" && metadata instanceof SessionEndedError) return;
      const error = metadata instanceof Error ? metadata : (metadata as { error?: unknown })?.error;
      logError(`next-auth: ${code}`, error ?? metadata);
    },
    warn(code) {
      console.warn(`next-auth: ${code}`);
    },
    debug() {},
  },
};
