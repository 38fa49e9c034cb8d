// These run the real Stripe SDK against lib/payments/stripe-stand-in.ts, because this machine cannot
// reach api.stripe.com.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { ChargeRequest } from './provider';
import { createStripeProvider, toChargeResult } from './stripe';
import { startStripeStandIn, type StripeStandIn } from './stripe-stand-in';

const TEST_KEY = 'sk_test_chargeops0000000000000000';

function aCharge(overrides: Partial<ChargeRequest> = {}): ChargeRequest {
  return {
    cdrId: `cdr_${Math.random().toString(36).slice(2)}`,
    attempt: 1,
    amount: 1234,
    currency: 'EUR',
    description: 'Charging session CHI-L2-01 2026-11-29',
    customerRef: 'cus_TestDriver01',
    paymentMethodRef: 'pm_card_visa',
    ...overrides,
  };
}

describe('Stripe provider against the stand-in', () => {
  let standIn: StripeStandIn;
  let provider: ReturnType<typeof createStripeProvider>;

  beforeAll(async () => {
    standIn = await startStripeStandIn();
    provider = createStripeProvider({ secretKey: TEST_KEY, apiBase: standIn.url, timeoutMs: 2_000 });
  });
  afterAll(async () => {
    await standIn.close();
  });

  const postsFor = (cdrId: string) =>
    standIn.requests.filter((r) => r.method === 'POST' && r.body['metadata[cdr_id]'] === cdrId);

  it('charges a good card and sends amount, currency, customer and the CDR id', async () => {
    const request = aCharge();

    const result = await provider.charge(request);

    expect(provider.name).toBe('stripe');
    expect(result).toEqual({ status: 'succeeded', reference: expect.stringMatching(/^pi_/) });
    const [sent, ...others] = postsFor(request.cdrId);
    expect(others).toEqual([]);
    expect(sent).toMatchObject({
      path: '/v1/payment_intents',
      idempotencyKey: `cdr-${request.cdrId}-1`,
      body: {
        amount: '1234',
        currency: 'eur',
        customer: 'cus_TestDriver01',
        payment_method: 'pm_card_visa',
        off_session: 'true',
        confirm: 'true',
        description: 'Charging session CHI-L2-01 2026-11-29',
        'metadata[cdr_id]': request.cdrId,
      },
    });
    // The reference is the intent Stripe holds, and it is paid.
    const stored = await fetch(`${standIn.url}/v1/payment_intents/${result.reference}`, {
      headers: { Authorization: `Bearer ${TEST_KEY}` },
    }).then((r) => r.json());
    expect(stored).toMatchObject({
      status: 'succeeded',
      amount_received: 1234,
      metadata: { cdr_id: request.cdrId },
    });
  });

  it('returns a declined card as failed, with the reason and the failed intent', async () => {
    const result = await provider.charge(aCharge({ paymentMethodRef: 'pm_card_chargeDeclined' }));

    expect(result).toEqual({
      status: 'failed',
      reference: expect.stringMatching(/^pi_/),
      reason: 'Your card was declined. (card_declined)',
    });
  });

  it('fails a card that needs authentication, since an off-session charge cannot ask for it', async () => {
    // Off-session, Stripe declines such a card (402 authentication_required) rather than answering
    // requires_action; the stand-in does the same.
    const result = await provider.charge(aCharge({ paymentMethodRef: 'pm_card_authenticationRequired' }));

    expect(result).toEqual({
      status: 'failed',
      reference: expect.stringMatching(/^pi_/),
      reason: expect.stringMatching(/requires authentication\. \(authentication_required\)$/),
    });
  });

  it('never charges a CDR twice: a retry sends the same idempotency key and gets the first answer', async () => {
    const request = aCharge();
    const declined = aCharge({ paymentMethodRef: 'pm_card_chargeDeclined' });

    const first = await provider.charge(request);
    const second = await provider.charge(request);
    const firstDecline = await provider.charge(declined);
    const secondDecline = await provider.charge(declined);

    expect(first.status).toBe('succeeded');
    expect(second).toEqual(first);
    expect(postsFor(request.cdrId).map((r) => r.idempotencyKey)).toEqual([
      `cdr-${request.cdrId}-1`,
      `cdr-${request.cdrId}-1`,
    ]);
    expect(secondDecline).toEqual(firstDecline);
  });

  it('fails a charge whose key the API refuses', async () => {
    const wrongKey = createStripeProvider({ secretKey: 'sk_live_notThisOne1234', apiBase: standIn.url });

    const result = await wrongKey.charge(aCharge());

    expect(result).toEqual({
      status: 'failed',
      reference: null,
      reason: expect.stringMatching(/^payment provider refused the charge: Invalid API Key provided/),
    });
  });

  it('fails, without throwing, when Stripe is unreachable', async () => {
    const closed = await startStripeStandIn();
    await closed.close();
    const offline = createStripeProvider({ secretKey: TEST_KEY, apiBase: closed.url, timeoutMs: 500 });

    const result = await offline.charge(aCharge());

    expect(result).toEqual({
      status: 'failed',
      reference: null,
      reason: expect.stringMatching(/^payment provider unreachable: .*\(ECONNREFUSED\)$/),
    });
  });

  it('fails, without throwing, when Stripe does not answer in time', async () => {
    const silent = createServer(() => {
      // Never answers.
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const slow = createStripeProvider({
      secretKey: TEST_KEY,
      apiBase: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`,
      timeoutMs: 200,
    });

    const result = await slow.charge(aCharge());
    silent.closeAllConnections();
    silent.close();

    expect(result).toEqual({
      status: 'failed',
      reference: null,
      reason: expect.stringMatching(/^payment provider unreachable: Request aborted due to timeout/),
    });
  });

  it('throws for a request billing should never build', async () => {
    await expect(provider.charge(aCharge({ amount: 0 }))).rejects.toThrow(RangeError);
    await expect(provider.charge(aCharge({ amount: 12.5 }))).rejects.toThrow(RangeError);
    await expect(provider.charge(aCharge({ currency: 'eur' }))).rejects.toThrow(RangeError);
  });
});

describe('createStripeProvider configuration', () => {
  it('refuses to send the key over plain HTTP to anything but this machine', () => {
    expect(() => createStripeProvider({ secretKey: TEST_KEY, apiBase: 'http://stripe.example.com' })).toThrow(
      /loopback/,
    );
    expect(() =>
      createStripeProvider({ secretKey: TEST_KEY, apiBase: 'https://api.example.com/v1' }),
    ).toThrow(/origin/);
    expect(() => createStripeProvider({ secretKey: '' })).toThrow(/secretKey/);
  });
});

describe('toChargeResult', () => {
  it.each([
    [{ status: 'succeeded' }, { status: 'succeeded', reference: 'pi_1' }],
    [
      { status: 'requires_action' },
      { status: 'failed', reference: 'pi_1', reason: expect.stringContaining('(requires_action)') },
    ],
    [
      { status: 'requires_payment_method' },
      { status: 'failed', reference: 'pi_1', reason: 'The card was refused. (requires_payment_method)' },
    ],
    [
      { status: 'processing' },
      { status: 'failed', reference: 'pi_1', reason: expect.stringContaining('(processing)') },
    ],
    [
      { status: 'canceled' },
      { status: 'failed', reference: 'pi_1', reason: expect.stringContaining('(canceled)') },
    ],
  ] as const)('maps an intent in %o', (intent, expected) => {
    expect(toChargeResult({ id: 'pi_1', last_payment_error: null, ...intent })).toEqual(expected);
  });
});
