import { NextResponse, type NextRequest } from 'next/server';
import { sessionCookieNames } from '@/lib/auth/cookies';

/**
 * First gate for pages: without a session cookie, go to /login and come back afterwards. The cookie
 * is only looked at here; pages verify the session, the user and the role on the server.
 */
export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  const hasSession = sessionCookieNames.some((n) => request.cookies.has(n) || request.cookies.has(`${n}.0`));
  if (!hasSession) {
    const login = new URL('/login', request.url);
    if (pathname !== '/') login.searchParams.set('callbackUrl', `${pathname}${search}`);
    return NextResponse.redirect(login);
  }
  return NextResponse.next();
}

export const config = {
  // Not: the login page, API routes (they answer 401/403 themselves), Next's assets, OCPP, socket.io.
  matcher: ['/((?!login|api/|_next/|favicon.ico|icon.svg|ocpp|socket.io).*)'],
};
