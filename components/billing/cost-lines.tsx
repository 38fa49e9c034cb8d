import { describeCostLine, formatPercent } from '@/lib/domain/pricing/display';
import type { CostBreakdown } from '@/lib/domain/pricing/engine';
import { formatMoney } from '@/lib/domain/pricing/money';

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
          const { description, quantity, unitPrice } = describeCostLine(line, currency);
          return (
            <tr key={index} className="border-b border-slate-100 last:border-0">
              <td className="py-1.5 pr-3">
                <span className="font-medium text-slate-800">{description}</span>
                {line.rate !== null ? (
                  <span className="block text-xs text-slate-500">
                    {quantity} × {unitPrice}
                  </span>
                ) : null}
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
                Tax {formatPercent(breakdown.taxRateBp)}
                {breakdown.pricesIncludeTax ? ' (included)' : ''}
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
