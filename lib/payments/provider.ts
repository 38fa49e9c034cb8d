/** A request to take money for one charge detail record (CDR). Amounts are integers in minor units. */
export interface ChargeRequest {
  /** Our CDR id; with `attempt`, the idempotency key, so a resent request never takes money twice. */
  cdrId: string;
  /**
   * 1 for the first try; an operator's retry after a decline is attempt 2, 3 ... (a new key, since
   * the provider would otherwise replay the decline). An attempt cut off before its answer is sent
   * again with its own number, so the provider replays what happened the first time.
   */
  attempt: number;
  /** Minor units, > 0. */
  amount: number;
  /** ISO 4217, upper case. */
  currency: string;
  /** Shown on the provider's side, e.g. "Charging session CHI-L2-01 2026-11-29". */
  description: string;
  /** The provider's customer id (Stripe: cus_...). */
  customerRef: string;
  /** The provider's saved payment method (Stripe: pm_...). */
  paymentMethodRef: string;
}

/**
 * The outcome of one charge. `reference` is the provider's id for the attempt (Stripe: pi_...), kept
 * on failures too when the provider created one, so support can look the attempt up.
 */
export type ChargeResult =
  { status: 'succeeded'; reference: string } | { status: 'failed'; reference: string | null; reason: string };

/**
 * A card-payment provider as billing sees it. `charge` never throws for a declined card or a network
 * failure: it returns `failed` with a human-readable reason. Only programming errors (an invalid
 * request, a misconfigured provider) throw.
 */
export interface CardPaymentProvider {
  /** Provider name, e.g. 'stripe'. */
  readonly name: string;
  charge(request: ChargeRequest): Promise<ChargeResult>;
}
