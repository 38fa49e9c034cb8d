import type { CostBreakdown, CostLine } from '@/lib/domain/pricing/engine';
import { formatMoney, formatRate } from '@/lib/domain/pricing/money';

/** A cost line in words: "Energy (Peak) · 12.345 kWh × $0.45/kWh". */
export function describeLine(line: CostLine, currency: string): { label: string; detail: string | null } {
  const band = line.band ? ` (${line.band})` : '';
  const minutes = (seconds: number) =>
    `${(seconds / 60).toLocaleString('en-US', { maximumFractionDigits: 1 })} min`;
  switch (line.kind) {
    case 'energy':
      return {
        label: `Energy${band}`,
        detail: `${(line.quantity / 1000).toFixed(3)} kWh × ${formatRate(line.rate ?? 0, currency)}/kWh`,
      };
    case 'time':
      return {
        label: `Charging time${band}`,
        detail: `${minutes(line.quantity)} × ${formatRate(line.rate ?? 0, currency)}/min`,
      };
    case 'idle':
      return {
        label: `Idle after grace${band}`,
        detail: `${minutes(line.quantity)} × ${formatRate(line.rate ?? 0, currency)}/min`,
      };
    case 'session':
      return { label: 'Session fee', detail: null };
    case 'minimum':
      return { label: 'Up to the minimum price', detail: null };
    case 'maximum':
      return { label: 'Capped at the maximum price', detail: null };
  }
}

/** The lines, subtotal, tax and total of a priced session (a CDR or a running cost). */
export function CostLines({
  breakdown,
}: {
  breakdown: Pick<
    CostBreakdown,
    'lines' | 'net' | 'tax' | 'total' | 'taxRateBp' | 'pricesIncludeTax' | 'currency'
  >;
}) {
  const { currency } = breakdown;
  return (
    <table className="w-full text-sm">
      <tbody>
        {breakdown.lines.length === 0 ? (
          <tr>
            <td className="py-1 text-slate-600">Nothing to pay</td>
          </tr>
        ) : null}
        {breakdown.lines.map((line, index) => {
          const { label, detail } = describeLine(line, currency);
          return (
            <tr key={index} className="border-b border-slate-100 last:border-0">
              <td className="py-1.5 pr-3">
                <span className="font-medium text-slate-800">{label}</span>
                {detail ? <span className="block text-xs text-slate-500">{detail}</span> : null}
              </td>
              <td className="py-1.5 text-right tabular-nums">{formatMoney(line.amount, currency)}</td>
            </tr>
          );
        })}
      </tbody>
      <tfoot className="border-t border-slate-200">
        {breakdown.taxRateBp > 0 ? (
          <>
            <tr>
              <td className="pt-2 text-slate-500">Net</td>
              <td className="pt-2 text-right tabular-nums">{formatMoney(breakdown.net, currency)}</td>
            </tr>
            <tr>
              <td className="text-slate-500">
                Tax {breakdown.taxRateBp / 100} %{breakdown.pricesIncludeTax ? ' (included)' : ''}
              </td>
              <td className="text-right tabular-nums">{formatMoney(breakdown.tax, currency)}</td>
            </tr>
          </>
        ) : null}
        <tr>
          <td className="pt-1 font-semibold">Total</td>
          <td className="pt-1 text-right font-semibold tabular-nums">
            {formatMoney(breakdown.total, currency)}
          </td>
        </tr>
      </tfoot>
    </table>
  );
}
