/** OCPP-J path prefix; a charger connects to `/ocpp/{identity}`. */
export const ocppPathPrefix = '/ocpp/';

/** Whether a request path belongs to the OCPP endpoint. */
export function isOcppPath(pathname: string): boolean {
  return pathname === '/ocpp' || pathname.startsWith(ocppPathPrefix);
}

/**
 * The station identity from an OCPP URL path, or null when missing or malformed. OCPP 2.0.1 limits
 * the identity to 48 characters and forbids ':' (it is the Basic-auth separator); 1.6 used 20-25 in
 * practice, so 48 covers both.
 */
export function identityFromPath(pathname: string): string | null {
  if (!pathname.startsWith(ocppPathPrefix)) return null;
  let identity: string;
  try {
    identity = decodeURIComponent(pathname.slice(ocppPathPrefix.length));
  } catch {
    return null;
  }
  if (identity.length === 0 || identity.length > 48) return null;
  if (!/^[\x21-\x7e]+$/.test(identity) || identity.includes(':') || identity.includes('/')) return null;
  return identity;
}
