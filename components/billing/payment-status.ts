import type { BadgeTone } from '@/components/ui/badge';

/** How a CDR's payment state reads in lists and on its page. */
export const paymentTones: Record<string, BadgeTone> = {
  paid: 'green',
  free: 'slate',
  unpaid: 'amber',
  failed: 'red',
};
export const paymentLabels: Record<string, string> = {
  paid: 'Paid',
  free: 'Nothing to pay',
  unpaid: 'Unpaid',
  failed: 'Payment failed',
};
