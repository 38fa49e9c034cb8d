import NextAuth, { CredentialsSignin } from 'next-auth';
import Credentials from 'next-auth/providers/credentials';
import { getDb } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { getLogger } from '@/lib/logger';
import { verifyCredentials } from '@/lib/services/users';
import { signInInput } from '@/lib/validation/users';
import { SignInThrottle } from './throttle';

declare module 'next-auth' {
  interface User {
    sessionVersion?: number;
  }
  interface Session {
    /** The JWT's session version, checked against the database on every request. */
    sv?: number;
  }
}

declare module 'next-auth/jwt' {
  interface JWT {
    uid?: string;
    /** The user's sessionVersion when the session began; a bump in the database ends the session. */
    sv?: number;
    /** Sign-in time (ms): sessions end SESSION_HOURS after it, however active. */
    signedInAt?: number;
  }
}

/** Thrown by authorize when an email is temporarily locked; the login form says so. */
export class TooManyAttempts extends CredentialsSignin {
  override code = 'too_many_attempts';
}

const throttleSlot = Symbol.for('chargeops.signInThrottle');
function throttle(): SignInThrottle {
  const g = globalThis as { [throttleSlot]?: SignInThrottle };
  g[throttleSlot] ??= new SignInThrottle();
  return g[throttleSlot];
}

// Built per request so the secret and session length come from the validated environment that
// the server completed at start-up (it generates AUTH_SECRET when unset).
export const { handlers, auth, signIn, signOut } = NextAuth(() => {
  const env = getEnv();
  const maxAge = Math.round(env.SESSION_HOURS * 3600);
  return {
    secret: env.AUTH_SECRET,
    trustHost: true,
    session: { strategy: 'jwt', maxAge },
    pages: { signIn: '/login' },
    logger: {
      error: (error) => {
        // A wrong password is an expected outcome, not an error worth a stack trace.
        if (!(error instanceof CredentialsSignin)) getLogger().error({ err: error }, 'auth error');
      },
      warn: (code) => getLogger().warn({ code }, 'auth warning'),
    },
    providers: [
      Credentials({
        credentials: { email: { type: 'email' }, password: { type: 'password' } },
        authorize: async (raw) => {
          const parsed = signInInput.safeParse(raw);
          if (!parsed.success) return null;
          const key = parsed.data.email.toLowerCase();
          const now = Date.now();
          if (throttle().isLocked(key, now)) throw new TooManyAttempts();
          const user = await verifyCredentials(getDb(), parsed.data.email, parsed.data.password);
          if (!user) {
            throttle().fail(key, now);
            getLogger().info({ email: key }, 'sign-in refused');
            return null;
          }
          throttle().succeed(key);
          return { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion };
        },
      }),
    ],
    callbacks: {
      jwt: ({ token, user }) => {
        if (user?.id) {
          return { ...token, uid: user.id, sv: user.sessionVersion ?? 1, signedInAt: Date.now() };
        }
        // Absolute session length: a working day from sign-in, however often the session is used.
        // (Client-sent `update` data is ignored on purpose: it could otherwise restore a revoked session.)
        if (!token.signedInAt || Date.now() - token.signedInAt > maxAge * 1000) return null;
        return token;
      },
      session: ({ session, token }) => {
        if (token.uid) session.user.id = token.uid;
        session.sv = token.sv;
        return session;
      },
    },
  };
});
