import { Fragment } from 'react';
import { describeWindow } from '@/lib/domain/access/authorization';
import { describeAssignment, type TariffAssignment } from '@/lib/domain/pricing/assignment';
import { formatMoney } from '@/lib/domain/pricing/money';
import type { TariffVersion } from '@/lib/domain/pricing/tariff';
import { Badge } from '@/components/ui/badge';
import { formatPercent } from '@/lib/domain/pricing/display';
import { bandCount, bandPrice, formatUnitRate, headlinePrices } from './format';

/** A version's prices on one wrapping line: "$0.45/kWh · idle $0.10/min after 15 min grace · +20 % tax". */
export function HeadlinePrices({ version }: { version: TariffVersion }) {
  const parts = headlinePrices(version);
  return (
    <span className="tabular-nums">
      {parts.map((part, i) => (
        // Each phrase stays whole; the spaces around the dot between them are where a line may break.
        <Fragment key={i}>
          {i > 0 ? <span className="text-slate-400"> · </span> : null}
          <span className="whitespace-nowrap">{part}</span>
        </Fragment>
      ))}
      {version.bands.length > 0 ? (
        <span className="block text-xs text-slate-500">{bandCount(version.bands.length)}</span>
      ) : null}
    </span>
  );
}

/** Where a tariff applies, as chips; group assignments stand out, since they beat any place. */
export function AssignmentChips({ assignments }: { assignments: TariffAssignment[] }) {
  if (assignments.length === 0) return <span className="text-sm text-slate-500">Not assigned</span>;
  return (
    <span className="flex flex-wrap gap-1">
      {assignments.map((a) => (
        <Badge key={a.id} tone={a.groupId ? 'blue' : 'slate'}>
          {describeAssignment(a)}
        </Badge>
      ))}
    </span>
  );
}

const none = <span className="text-slate-500">Not charged</span>;

/** Every price of a version: base prices, fees, bounds, tax and the time-of-use bands in words. */
export function VersionDetails({ version: v }: { version: TariffVersion }) {
  const c = v.currency;
  const rows: [string, React.ReactNode][] = [
    ['Energy', v.base.energyPerKwh === null ? none : formatUnitRate(v.base.energyPerKwh, c, 'kWh')],
    ['Charging time', v.base.timePerMinute === null ? none : formatUnitRate(v.base.timePerMinute, c, 'min')],
    ['Idle', v.base.idlePerMinute === null ? none : formatUnitRate(v.base.idlePerMinute, c, 'min')],
    ['Idle grace', v.idleGraceMinutes === 0 ? 'None' : `${v.idleGraceMinutes} min per idle stretch`],
    ['Session fee', v.sessionFee === 0 ? none : formatMoney(v.sessionFee, c)],
    [
      'Minimum',
      v.minPrice === null ? <span className="text-slate-500">None</span> : formatMoney(v.minPrice, c),
    ],
    [
      'Maximum',
      v.maxPrice === null ? <span className="text-slate-500">None</span> : formatMoney(v.maxPrice, c),
    ],
    [
      'Tax',
      v.taxRateBp === 0
        ? 'No tax'
        : `${formatPercent(v.taxRateBp)}, ${v.pricesIncludeTax ? 'included in the prices' : 'added to the prices'}`,
    ],
    ['Currency', c],
  ];
  return (
    <div className="space-y-5">
      <dl className="grid grid-cols-2 gap-x-4 gap-y-3 text-sm sm:grid-cols-3">
        {rows.map(([label, value]) => (
          <div key={label}>
            <dt className="text-slate-500">{label}</dt>
            <dd className="mt-0.5 font-medium text-slate-900 tabular-nums">{value}</dd>
          </div>
        ))}
      </dl>
      <div className="space-y-2">
        <h3 className="text-sm font-semibold text-slate-900">Time-of-use bands</h3>
        {v.bands.length === 0 ? (
          <p className="text-sm text-slate-600">None: the base prices apply at all hours.</p>
        ) : (
          <>
            <p className="text-xs text-slate-500">
              In each site’s time zone; where bands overlap, the first listed wins. Where a band sets no
              price, the base price applies.
            </p>
            <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 text-sm">
              {v.bands.map((band, i) => (
                <li
                  key={`${band.label}-${i}`}
                  className="grid gap-1 px-3 py-2.5 md:grid-cols-[10rem_1fr_auto] md:items-baseline md:gap-4"
                  data-testid="band"
                >
                  <span className="font-medium text-slate-900">{band.label}</span>
                  <span className="text-slate-700">{describeWindow(band.window)}</span>
                  <span className="text-slate-700 tabular-nums md:text-right">
                    energy {bandPrice(band.prices, 'energyPerKwh', c, 'kWh')}
                    <span className="text-slate-400"> · </span>
                    charging {bandPrice(band.prices, 'timePerMinute', c, 'min')}
                    <span className="text-slate-400"> · </span>
                    idle {bandPrice(band.prices, 'idlePerMinute', c, 'min')}
                  </span>
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </div>
  );
}
