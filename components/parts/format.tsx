import { Badge } from '@/components/ui/badge';

// A fixed locale: these render on the server and in the browser alike, and must agree.
const unitsFormat = new Intl.NumberFormat('en-US');
const signedFormat = new Intl.NumberFormat('en-US', { signDisplay: 'exceptZero' });

/** "1,250 units", "1 unit". */
export function formatUnits(quantity: number): string {
  return `${unitsFormat.format(quantity)} ${Math.abs(quantity) === 1 ? 'unit' : 'units'}`;
}

/** "+4", "−3", "0": a change of stock. */
export function formatChange(quantity: number): string {
  return signedFormat.format(quantity).replace('-', '−');
}

/** "$129.50", "€12.00"; a dash for an unknown cost. */
export function formatMoney(minor: number | null, currency: string): string {
  if (minor === null) return '—';
  return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(minor / 100);
}

/** "Out of stock" or "Low stock" where a location (or any location) is below its minimum. */
export function StockBadge({ quantity, low }: { quantity: number; low: boolean }) {
  if (!low) return null;
  return quantity === 0 ? <Badge tone="red">Out of stock</Badge> : <Badge tone="amber">Low stock</Badge>;
}
