import { redirect } from 'next/navigation';

/** The section opens on its first tab. */
export default function BillingPage() {
  redirect('/billing/tariffs');
}
