/**
 * A stand-in for api.stripe.com, used by the tests because they cannot reach the internet. It
 * implements only the endpoints ChargeOps uses (create-and-confirm a PaymentIntent, retrieve one),
 * speaks Stripe's wire format (form-encoded requests, JSON answers, Stripe's error shape,
 * Idempotency-Key replay) and knows only Stripe's documented test payment-method ids
 * (https://docs.stripe.com/testing). Anything else gets the 400/404 Stripe would send, never an
 * invented success.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the stand-in received it; form fields keep Stripe's flat names (`metadata[cdr_id]`). */
export interface StripeStandInRequest {
  method: string;
  path: string;
  body: Record<string, string>;
  idempotencyKey: string | undefined;
}

/** A running stand-in. */
export interface StripeStandIn {
  /** Origin to pass as the provider's apiBase, e.g. http://127.0.0.1:54321. */
  url: string;
  close(): Promise<void>;
  /** Every request received, in order, including refused ones and idempotent replays. */
  requests: StripeStandInRequest[];
}

type Json = Record<string, unknown>;
interface Answer {
  status: number;
  body: Json;
}

interface Decline {
  code: string;
  decline_code: string;
  message: string;
}

const DECLINED: Decline = {
  code: 'card_declined',
  decline_code: 'generic_decline',
  message: 'Your card was declined.',
};
const INSUFFICIENT_FUNDS: Decline = {
  code: 'card_declined',
  decline_code: 'insufficient_funds',
  message: 'Your card has insufficient funds.',
};
// What Stripe answers when a card needs 3-D Secure and the payment is off-session.
const AUTHENTICATION_REQUIRED: Decline = {
  code: 'authentication_required',
  decline_code: 'authentication_required',
  message: 'Your card was declined. This transaction requires authentication.',
};

type Behaviour = 'succeed' | 'authenticate' | Decline;
const TEST_PAYMENT_METHODS: Record<string, Behaviour> = {
  pm_card_visa: 'succeed',
  pm_card_mastercard: 'succeed',
  pm_card_chargeDeclined: DECLINED,
  pm_card_chargeDeclinedInsufficientFunds: INSUFFICIENT_FUNDS,
  pm_card_authenticationRequired: 'authenticate',
};

/** Starts the stand-in on 127.0.0.1 on a free port. */
export async function startStripeStandIn(): Promise<StripeStandIn> {
  const requests: StripeStandInRequest[] = [];
  // Both maps are per API key, as Stripe's are per account.
  const intents = new Map<string, { apiKey: string; intent: Json }>();
  const replays = new Map<string, { fingerprint: string; answer: Answer }>();

  const handle = (req: IncomingMessage, rawBody: string, res: ServerResponse): void => {
    const method = req.method ?? 'GET';
    const path = new URL(req.url ?? '/', 'http://stand-in').pathname;
    const body = Object.fromEntries(new URLSearchParams(rawBody));
    const idempotencyKey = headerOf(req, 'idempotency-key');
    requests.push({ method, path, body, idempotencyKey });

    const apiKey = apiKeyOf(headerOf(req, 'authorization'));
    if (typeof apiKey !== 'string') return send(res, apiKey);

    if (method === 'POST' && path === '/v1/payment_intents') {
      // Stripe saves the answer once the endpoint has started (success or decline alike) and replays
      // it for the same key; the same key with other parameters is an error.
      const replayKey = idempotencyKey === undefined ? undefined : `${apiKey} ${idempotencyKey}`;
      const fingerprint = JSON.stringify(Object.entries(body).sort());
      const saved = replayKey === undefined ? undefined : replays.get(replayKey);
      if (saved) {
        if (saved.fingerprint !== fingerprint) {
          return send(res, {
            status: 400,
            body: stripeError({
              type: 'idempotency_error',
              message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
            }),
          });
        }
        return send(res, saved.answer, { 'Idempotent-Replayed': 'true' });
      }
      const invalid = invalidParameter(body);
      if (invalid) return send(res, invalid);
      const { answer, intent } = createPaymentIntent(body);
      if (intent) intents.set(String(intent.id), { apiKey, intent });
      if (replayKey !== undefined) replays.set(replayKey, { fingerprint, answer });
      return send(res, answer);
    }

    const retrieve = /^\/v1\/payment_intents\/([^/]+)$/.exec(path);
    if (method === 'GET' && retrieve) {
      const id = decodeURIComponent(retrieve[1] ?? '');
      const stored = intents.get(id);
      if (stored?.apiKey === apiKey) return send(res, { status: 200, body: stored.intent });
      return send(res, {
        status: 404,
        body: stripeError({
          type: 'invalid_request_error',
          code: 'resource_missing',
          param: 'intent',
          message: `No such payment_intent: '${id}'`,
        }),
      });
    }

    send(res, {
      status: 404,
      body: stripeError({
        type: 'invalid_request_error',
        message: `Unrecognized request URL (${method}: ${path}). This stand-in implements only POST /v1/payment_intents and GET /v1/payment_intents/:id.`,
      }),
    });
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handle(req, Buffer.concat(chunks).toString('utf8'), res));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // The SDK keeps connections alive; without this, close() would wait for them to idle out.
        server.closeAllConnections();
      }),
  };
}

function createPaymentIntent(body: Record<string, string>): { answer: Answer; intent?: Json } {
  const paymentMethod = body.payment_method ?? '';
  const behaviour = TEST_PAYMENT_METHODS[paymentMethod];
  if (behaviour === undefined) {
    return {
      answer: {
        status: 400,
        body: stripeError({
          type: 'invalid_request_error',
          code: 'resource_missing',
          param: 'payment_method',
          message: `No such PaymentMethod: '${paymentMethod}'`,
        }),
      },
    };
  }
  if (body.confirm !== 'true') {
    const intent = paymentIntent(body, 'requires_confirmation');
    return { answer: { status: 200, body: intent }, intent };
  }
  if (behaviour === 'succeed') {
    const intent = paymentIntent(body, 'succeeded');
    return { answer: { status: 200, body: intent }, intent };
  }
  if (behaviour === 'authenticate' && body.off_session !== 'true') {
    // On-session, Stripe hands the 3-D Secure challenge to the client instead of declining.
    const intent = paymentIntent(body, 'requires_action');
    return { answer: { status: 200, body: intent }, intent };
  }
  const decline = behaviour === 'authenticate' ? AUTHENTICATION_REQUIRED : behaviour;
  const error = {
    type: 'card_error',
    ...decline,
    charge: `ch_${randomId()}`,
    doc_url: `https://stripe.com/docs/error-codes/${decline.code.replaceAll('_', '-')}`,
    payment_method: { id: paymentMethod, object: 'payment_method', type: 'card' },
  };
  const intent = paymentIntent(body, 'requires_payment_method', error);
  return { answer: { status: 402, body: stripeError({ ...error, payment_intent: intent }) }, intent };
}

function paymentIntent(
  body: Record<string, string>,
  status: string,
  lastPaymentError: Json | null = null,
): Json {
  const id = `pi_${randomId()}`;
  const amount = Number(body.amount);
  return {
    id,
    object: 'payment_intent',
    amount,
    amount_capturable: 0,
    amount_received: status === 'succeeded' ? amount : 0,
    capture_method: 'automatic',
    client_secret: `${id}_secret_${randomId()}`,
    confirmation_method: 'automatic',
    created: Math.floor(Date.now() / 1000),
    currency: body.currency,
    customer: body.customer ?? null,
    description: body.description ?? null,
    last_payment_error: lastPaymentError,
    latest_charge: status === 'succeeded' || lastPaymentError ? `ch_${randomId()}` : null,
    livemode: false,
    metadata: metadataOf(body),
    next_action: status === 'requires_action' ? { type: 'use_stripe_sdk', use_stripe_sdk: {} } : null,
    payment_method: body.payment_method ?? null,
    payment_method_types: ['card'],
    status,
  };
}

function invalidParameter(body: Record<string, string>): Answer | undefined {
  const refuse = (param: string, code: string, message: string): Answer => ({
    status: 400,
    body: stripeError({ type: 'invalid_request_error', code, param, message }),
  });
  if (body.amount === undefined)
    return refuse('amount', 'parameter_missing', 'Missing required param: amount.');
  if (!/^\d+$/.test(body.amount)) {
    return refuse('amount', 'parameter_invalid_integer', `Invalid integer: ${body.amount}`);
  }
  if (Number(body.amount) < 1) {
    return refuse('amount', 'amount_too_small', 'Amount must be at least 1 in the smallest currency unit.');
  }
  if (body.currency === undefined) {
    return refuse('currency', 'parameter_missing', 'Missing required param: currency.');
  }
  if (!/^[a-z]{3}$/.test(body.currency)) {
    return refuse('currency', 'parameter_invalid_string', `Invalid currency: ${body.currency}.`);
  }
  if (body.payment_method === undefined) {
    return refuse('payment_method', 'parameter_missing', 'Missing required param: payment_method.');
  }
  if (body.customer !== undefined && !body.customer.startsWith('cus_')) {
    return refuse('customer', 'resource_missing', `No such customer: '${body.customer}'`);
  }
  return undefined;
}

/** The bearer key, or the 401 Stripe sends for a missing or unusable one. */
function apiKeyOf(authorization: string | undefined): string | Answer {
  const key = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
  if (key === undefined) {
    return {
      status: 401,
      body: stripeError({
        type: 'invalid_request_error',
        message:
          "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
      }),
    };
  }
  // Only test-mode secret keys: the stand-in never pretends a live key works.
  if (!/^sk_test_\w+$/.test(key)) {
    return {
      status: 401,
      body: stripeError({
        type: 'invalid_request_error',
        message: `Invalid API Key provided: ${key.slice(0, 8)}****${key.slice(-4)}`,
      }),
    };
  }
  return key;
}

/** `metadata[cdr_id]=x` as the SDK encodes it, back into `{ cdr_id: 'x' }`. */
function metadataOf(body: Record<string, string>): Record<string, string> {
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(body)) {
    const key = /^metadata\[([^\]]+)\]$/.exec(name)?.[1];
    if (key !== undefined) metadata[key] = value;
  }
  return metadata;
}

function stripeError(error: Json): Json {
  return { error };
}

function send(res: ServerResponse, answer: Answer, headers: Record<string, string> = {}): void {
  res.writeHead(answer.status, {
    'Content-Type': 'application/json',
    'Request-Id': `req_${randomId()}`,
    ...headers,
  });
  res.end(JSON.stringify(answer.body));
}

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function randomId(): string {
  return randomBytes(12).toString('base64url').replace(/[-_]/g, 'x');
}
