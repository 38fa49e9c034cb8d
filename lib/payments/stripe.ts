/**
 * Card payments through Stripe's official Node SDK: one off-session PaymentIntent per CDR, created and
 * confirmed in a single call with the saved card.
 *
 * The tests cannot reach api.stripe.com, so they point `apiBase` at lib/payments/stripe-stand-in.ts,
 * a local stand-in for the few endpoints used here; the SDK, its request encoding, retries and error
 * classes are the real ones. The demo (`npm run demo`) takes no card payments: its drivers pay on
 * account or prepaid, and without STRIPE_SECRET_KEY no provider is configured.
 */
import Stripe from 'stripe';
import type { CardPaymentProvider, ChargeRequest, ChargeResult } from './provider';

/** Options for {@link createStripeProvider}. */
export interface StripeProviderOptions {
  /** Secret API key (sk_live_... / sk_test_...) or a restricted key (rk_...). */
  secretKey: string;
  /** Origin of the API, e.g. http://127.0.0.1:4242 for the stand-in; defaults to Stripe's own. */
  apiBase?: string;
  /** Per-attempt timeout; the SDK's default (80 s) when omitted. */
  timeoutMs?: number;
}

// Stripe accepts idempotency keys up to 255 characters; ours is 'cdr-' + the CDR id.
const MAX_CDR_ID_LENGTH = 200;

/** A Stripe-backed {@link CardPaymentProvider}. Throws only for a misconfiguration. */
export function createStripeProvider(options: StripeProviderOptions): CardPaymentProvider {
  if (!options.secretKey) throw new Error('createStripeProvider: secretKey is empty');
  if (options.timeoutMs !== undefined && !(Number.isInteger(options.timeoutMs) && options.timeoutMs > 0)) {
    throw new RangeError(
      `createStripeProvider: timeoutMs must be a positive integer, got ${options.timeoutMs}`,
    );
  }
  const stripe = new Stripe(options.secretKey, {
    ...addressOf(options.apiBase),
    // One retry, which the SDK sends with the same Idempotency-Key. Note that the SDK retries
    // connection errors and timeouts too, so a charge can take up to 2 x timeout + 0.5 s backoff.
    maxNetworkRetries: 1,
    timeout: options.timeoutMs,
  });

  return {
    name: 'stripe',
    async charge(request: ChargeRequest): Promise<ChargeResult> {
      assertValidRequest(request);
      try {
        const intent = await stripe.paymentIntents.create(
          {
            // Stripe's `amount` is in the currency's smallest unit, which is our minor unit for the
            // currencies we bill. Stripe has exceptions (ISK, UGX, three-decimal currencies); a new
            // currency needs a look at https://docs.stripe.com/currencies first.
            amount: request.amount,
            currency: request.currency.toLowerCase(),
            customer: request.customerRef,
            payment_method: request.paymentMethodRef,
            // The driver has left: no one can answer a 3-D Secure challenge, so Stripe must decline
            // instead of waiting for one.
            off_session: true,
            confirm: true,
            description: request.description,
            metadata: { cdr_id: request.cdrId },
          },
          // Stripe replays the first response for a key it has seen (it keeps keys for at least
          // 24 hours), so billing may retry a CDR after a timeout without charging twice.
          { idempotencyKey: `cdr-${request.cdrId}-${request.attempt}` },
        );
        return toChargeResult(intent);
      } catch (error) {
        return failureFrom(error);
      }
    },
  };
}

/**
 * Maps a PaymentIntent returned by a confirm to our result. Exported for tests: an off-session
 * confirm should never leave an intent in `requires_action` (Stripe declines with
 * `authentication_required` instead), but the mapping must not count it as paid if it does.
 */
export function toChargeResult(
  intent: Pick<Stripe.PaymentIntent, 'id' | 'status' | 'last_payment_error'>,
): ChargeResult {
  const failed = (reason: string): ChargeResult => ({ status: 'failed', reference: intent.id, reason });
  switch (intent.status) {
    case 'succeeded':
      return { status: 'succeeded', reference: intent.id };
    case 'requires_action':
      return failed(
        'The card issuer wants the cardholder to authenticate this payment, which cannot happen off-session. (requires_action)',
      );
    case 'requires_payment_method': {
      const error = intent.last_payment_error;
      return failed(
        error?.message
          ? withCode(error.message, error.code ?? 'requires_payment_method')
          : 'The card was refused. (requires_payment_method)',
      );
    }
    case 'processing':
      // Rare for cards, but money may still move: whoever retries must look up the reference first.
      return failed(
        'Stripe is still processing the payment; check the reference before charging again. (processing)',
      );
    default:
      return failed(`Stripe left the payment unfinished. (${intent.status})`);
  }
}

function failureFrom(error: unknown): ChargeResult {
  if (error instanceof Stripe.errors.StripeCardError) {
    // A decline still creates a PaymentIntent (status requires_payment_method); keep its id.
    return {
      status: 'failed',
      reference: error.payment_intent?.id ?? null,
      reason: withCode(error.message, error.code),
    };
  }
  if (error instanceof Stripe.errors.StripeConnectionError) {
    // Includes timeouts, after which the charge may or may not have happened; retrying the same
    // CDR is safe because of the idempotency key.
    const cause = causeCodeOf(error.detail);
    return {
      status: 'failed',
      reference: null,
      reason: `payment provider unreachable: ${error.message}${cause ? ` (${cause})` : ''}`,
    };
  }
  if (error instanceof Stripe.errors.StripeError) {
    // Bad key, unknown customer or payment method, rate limit, Stripe's own 5xx after the retry.
    return {
      status: 'failed',
      reference: error.payment_intent?.id ?? null,
      reason: `payment provider refused the charge: ${withCode(error.message, error.code ?? error.rawType ?? error.type)}`,
    };
  }
  throw error;
}

function withCode(message: string, code: string | undefined): string {
  return code ? `${message} (${code})` : message;
}

function causeCodeOf(detail: unknown): string | undefined {
  if (detail instanceof Error && 'code' in detail && typeof detail.code === 'string') return detail.code;
  return undefined;
}

function addressOf(apiBase: string | undefined): Pick<Stripe.StripeConfig, 'host' | 'port' | 'protocol'> {
  if (apiBase === undefined) return {};
  const url = new URL(apiBase);
  if (url.pathname !== '/' || url.search || url.hash || url.username) {
    throw new Error(
      `createStripeProvider: apiBase must be an origin such as http://127.0.0.1:4242, got ${apiBase}`,
    );
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (url.protocol === 'https:') return { host, port: url.port || 443, protocol: 'https' };
  // Plain HTTP would send the secret key in clear text, so it is only for a stand-in on this machine.
  if (url.protocol === 'http:' && ['127.0.0.1', 'localhost', '::1'].includes(host)) {
    return { host, port: url.port || 80, protocol: 'http' };
  }
  throw new Error(
    `createStripeProvider: apiBase must be https, or http on a loopback address; got ${apiBase}`,
  );
}

function assertValidRequest(request: ChargeRequest): void {
  if (!Number.isSafeInteger(request.amount) || request.amount <= 0) {
    throw new RangeError(`charge amount must be a positive integer in minor units, got ${request.amount}`);
  }
  if (!/^[A-Z]{3}$/.test(request.currency)) {
    throw new RangeError(`charge currency must be an upper-case ISO 4217 code, got ${request.currency}`);
  }
  if (!request.cdrId || request.cdrId.length > MAX_CDR_ID_LENGTH) {
    throw new RangeError(`charge cdrId must be 1 to ${MAX_CDR_ID_LENGTH} characters`);
  }
  if (!request.customerRef || !request.paymentMethodRef) {
    throw new RangeError('charge needs a customerRef and a paymentMethodRef');
  }
}
