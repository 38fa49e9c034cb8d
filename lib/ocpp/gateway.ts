import ocppRpc from 'ocpp-rpc';
import type RpcServerClient from 'ocpp-rpc/lib/server-client';
import type { Logger } from 'pino';
import type { ChargerGateway, SendOptions } from '@/lib/commands/gateway';
import type { Command, CommandOutcome } from '@/lib/commands/types';
import type { CommandAdapter } from './command-adapter';
import { v16Commands } from './v16/commands';
import { v201Commands } from './v201/commands';

type Frame = [number, string, ...unknown[]];

interface LateWatch {
  command: Command;
  adapter: CommandAdapter;
  onLateAnswer: NonNullable<SendOptions['onLateAnswer']>;
}

/** How long an answer to a timed-out command is still recognised as its late answer. */
const lateAnswerWindowMs = 15 * 60_000;

/**
 * The charger gateway over this process's OCPP connections. ocpp-rpc queues our CALLs one at a
 * time per connection (OCPP-J §4.1.1: one outstanding CALL), times them out, and checks both our
 * request and the charger's answer against the schemas; this turns each way a call can end into a
 * command outcome, and keeps listening for answers that come after the timeout.
 */
export function createChargerGateway(
  lookup: (identity: string) => RpcServerClient | undefined,
  log: Logger,
): ChargerGateway {
  const lateWatches = new WeakMap<RpcServerClient, Map<string, LateWatch>>();

  function watchLate(client: RpcServerClient, messageId: string, watch: LateWatch) {
    let watches = lateWatches.get(client);
    if (!watches) {
      const map = new Map<string, LateWatch>();
      watches = map;
      lateWatches.set(client, map);
      client.on('response', ({ outbound, payload }: { outbound: boolean; payload: Frame }) => {
        if (outbound) return;
        const late = map.get(payload[1]);
        if (!late) return;
        map.delete(payload[1]);
        const outcome = outcomeOfFrame(late.command, late.adapter, payload);
        late.onLateAnswer(outcome, new Date());
      });
    }
    watches.set(messageId, watch);
    setTimeout(() => watches.delete(messageId), lateAnswerWindowMs).unref();
  }

  return {
    isConnected: (identity) => lookup(identity) !== undefined,

    async send(identity, command, options) {
      const client = lookup(identity);
      if (!client) return { status: 'offline', detail: 'The station is not connected' };
      const adapter = client.protocol === 'ocpp1.6' ? v16Commands : v201Commands;
      const call = adapter.toCall(command);
      if ('unsupported' in call)
        return { status: 'failed', errorCode: null, detail: call.unsupported, response: null };

      let messageId: string | undefined;
      let answer: Frame | undefined;
      let invalidRequest: Error | undefined;
      const onCall = ({ outbound, payload }: { outbound: boolean; payload: Frame }) => {
        // The payload object is ours, so identity tells our CALL from others queued beside it.
        if (!outbound || payload[3] !== call.payload) return;
        messageId = payload[1];
        options.onSent?.(new Date(), call.action);
      };
      const onResponse = ({ outbound, payload }: { outbound: boolean; payload: Frame }) => {
        if (!outbound && messageId !== undefined && payload[1] === messageId) answer = payload;
      };
      const onInvalid = (event: { params: unknown; outbound: boolean; isCall: boolean; error: Error }) => {
        if (event.outbound && event.isCall && event.params === call.payload) invalidRequest = event.error;
      };
      client.on('call', onCall);
      client.on('response', onResponse);
      client.on('strictValidationFailure', onInvalid);
      try {
        const result = (await client.call(call.action, call.payload, {
          callTimeoutMs: options.timeoutMs,
        })) as Record<string, unknown>;
        return adapter.readResult(command, result);
      } catch (error) {
        if (invalidRequest) {
          log.error(
            { err: invalidRequest, action: call.action },
            'ChargeOps built a request that breaks the schema',
          );
          return {
            status: 'failed',
            errorCode: null,
            detail: `ChargeOps could not build a valid ${call.action}: ${invalidRequest.message}`,
            response: null,
          };
        }
        if (answer) return outcomeOfFrame(command, adapter, answer, error);
        // ocpp-rpc's TimeoutError does not set `name` (it is plain "Error"): compare the class. It is
        // spread into the CommonJS exports, which Node's ESM loader cannot name: take it off the default.
        if (error instanceof ocppRpc.TimeoutError) {
          if (messageId && options.onLateAnswer)
            watchLate(client, messageId, { command, adapter, onLateAnswer: options.onLateAnswer });
          return {
            status: 'timed_out',
            detail:
              options.timeoutMs < 1000
                ? `No answer within ${options.timeoutMs} ms`
                : `No answer within ${Math.round(options.timeoutMs / 1000)} s`,
          };
        }
        return {
          status: 'offline',
          detail: messageId
            ? 'The connection closed before the station answered'
            : 'The station disconnected before the command could be sent',
        };
      } finally {
        client.off('call', onCall);
        client.off('response', onResponse);
        client.off('strictValidationFailure', onInvalid);
      }
    },
  };
}

/**
 * The outcome of the charger's answer frame: a CALLERROR keeps its code; a CALLRESULT that broke
 * the schema (`validationError` set) counts as failed, with the payload kept for the operator.
 */
function outcomeOfFrame(
  command: Command,
  adapter: CommandAdapter,
  frame: Frame,
  validationError?: unknown,
): CommandOutcome {
  if (frame[0] === 4) {
    const [, , code, description, details] = frame;
    return {
      status: 'failed',
      errorCode: String(code),
      detail: description ? `${String(code)}: ${String(description)}` : String(code),
      response: { errorCode: code, errorDescription: description, errorDetails: details },
    };
  }
  const result = frame[2];
  if (validationError || typeof result !== 'object' || result === null) {
    const reason = validationError instanceof Error ? validationError.message : 'not an object';
    return {
      status: 'failed',
      errorCode: 'FormatViolation',
      detail: `The station's answer breaks the OCPP schema: ${reason}`,
      response: result,
    };
  }
  try {
    return adapter.readResult(command, result as Record<string, unknown>);
  } catch {
    return {
      status: 'failed',
      errorCode: 'FormatViolation',
      detail: 'The station sent an unreadable answer',
      response: result,
    };
  }
}
