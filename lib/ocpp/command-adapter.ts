import type { AnsweredOutcome, Command, CommandOutcome } from '@/lib/commands/types';

/** The CALL a command becomes in one OCPP version. */
export interface OcppCall {
  action: string;
  payload: Record<string, unknown>;
}

/** Translates version-neutral commands to one OCPP version's CALLs and its answers back. */
export interface CommandAdapter {
  /** The CALL for a command, or why this version cannot carry it. */
  toCall(command: Command): OcppCall | { unsupported: string };
  /** The outcome a CALLRESULT payload (already schema-checked) stands for. */
  readResult(command: Command, result: Record<string, unknown>): CommandOutcome;
}

/**
 * The outcome of an answer carrying a status word: accepted when the word is one of `accepted`.
 * 2.0.1 answers may add statusInfo, which is kept in the detail.
 */
export function outcomeOfStatus(
  result: Record<string, unknown>,
  accepted: readonly string[],
  extra: Partial<AnsweredOutcome> = {},
): AnsweredOutcome {
  const status = typeof result.status === 'string' ? result.status : 'Unknown';
  const info = result.statusInfo as { reasonCode?: string; additionalInfo?: string } | undefined;
  const detail = info?.reasonCode
    ? `${status} (${[info.reasonCode, info.additionalInfo].filter(Boolean).join(': ')})`
    : status;
  return { status: accepted.includes(status) ? 'accepted' : 'rejected', detail, response: result, ...extra };
}
