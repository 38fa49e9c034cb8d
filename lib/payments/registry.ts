import type { CardPaymentProvider } from './provider';

/**
 * The process-wide card-payment provider, set once by server/index.ts from the environment (or by
 * a test). A globalThis slot, because Next.js bundles app code apart from the custom server.
 */
const slot = Symbol.for('chargeops.card-payment-provider');
type Holder = { [slot]?: CardPaymentProvider | null };

export function setCardPaymentProvider(provider: CardPaymentProvider | null): void {
  (globalThis as Holder)[slot] = provider;
}

/** The configured provider, or null when card payments are not set up (STRIPE_SECRET_KEY unset). */
export function getCardPaymentProvider(): CardPaymentProvider | null {
  return (globalThis as Holder)[slot] ?? null;
}
