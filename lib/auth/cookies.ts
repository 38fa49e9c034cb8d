/** Cookie names next-auth uses for the session JWT (the __Secure- one behind HTTPS); each is also the JWT salt. */
export const sessionCookieNames = ['__Secure-authjs.session-token', 'authjs.session-token'] as const;
