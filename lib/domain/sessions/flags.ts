/**
 * What a session's review flags mean, as an operator reads them. The flags are written where the
 * anomaly is seen (the OCPP transaction paths and the authorisation of a start); this module is the
 * one place that names them.
 */

const tokenRefused = /^token-refused: (\w+) \((.*)\)$/s;

/** The flag stored when a session started with a token the rules refused (see flagRefusedStart). */
export function tokenRefusedFlag(status: string, reason: string): string {
  return `token-refused: ${status} (${reason})`;
}

/** Whether a stored flag is the one of a start with a refused token. */
export function isTokenRefusedFlag(flag: string): boolean {
  return tokenRefused.test(flag);
}

export interface SessionFlagDescription {
  kind: 'stop-without-start' | 'first-event-not-started' | 'token-refused' | 'other';
  /** One sentence for the session page and the list's hint. */
  text: string;
}

/** Describes one stored flag; an unknown flag is shown as it was stored rather than hidden. */
export function describeSessionFlag(flag: string): SessionFlagDescription {
  if (flag === 'stop-without-start')
    return {
      kind: flag,
      text: 'The charger reported a stop for a session ChargeOps never saw start',
    };
  if (flag === 'first-event-not-started')
    return {
      kind: flag,
      text: 'The first message of this session was not its start (sent while the charger was offline)',
    };
  const refused = tokenRefused.exec(flag);
  if (refused)
    return {
      kind: 'token-refused',
      text: `The token was refused when the session started (${refused[1]}: ${refused[2]}), but the charger charged anyway, offline or from its own list; the energy delivered is kept`,
    };
  return { kind: 'other', text: flag };
}
