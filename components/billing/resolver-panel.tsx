'use client';

import Link from 'next/link';
import { useActionState, useState } from 'react';
import { tariffForStationAction } from '@/lib/actions/tariffs';
import { formatMoney } from '@/lib/domain/pricing/money';
import { formatInZone } from '@/components/stations/format';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { SelectField } from '@/components/ui/field';
import { fieldError, resilient, submitWithoutReset } from '@/components/ui/form-state';
import { describeTax, formatUnitRate } from './format';
import { stationLabel, type NamedOption, type StationOption } from './pickers';

const safeTariffForStationAction = resilient(tariffForStationAction);

type Answer = NonNullable<Extract<Awaited<ReturnType<typeof tariffForStationAction>>, { ok: true }>['data']>;

/** "Which tariff applies?": the tariff, why, and the price now, for a station (or EVSE) and a driver group. */
export function ResolverPanel({ stations, groups }: { stations: StationOption[]; groups: NamedOption[] }) {
  const [state, action, pending] = useActionState(safeTariffForStationAction, null);
  const [stationId, setStationId] = useState(stations[0]?.id ?? '');
  const station = stations.find((s) => s.id === stationId);
  if (stations.length === 0)
    return <p className="text-sm text-slate-600">No stations yet: add one to see which tariff it charges.</p>;
  return (
    <div className="space-y-4">
      <form onSubmit={submitWithoutReset(action)} className="space-y-4" noValidate>
        <div className="grid gap-4 sm:grid-cols-3">
          <SelectField
            name="stationId"
            label="Station"
            value={stationId}
            onChange={(e) => setStationId(e.target.value)}
            error={fieldError(state, 'stationId')}
          >
            {stations.map((s) => (
              <option key={s.id} value={s.id}>
                {stationLabel(s)}
              </option>
            ))}
          </SelectField>
          <SelectField
            key={stationId}
            name="evseId"
            label="EVSE (optional)"
            defaultValue=""
            disabled={!station || station.evseIds.length === 0}
            error={fieldError(state, 'evseId')}
          >
            <option value="">Any EVSE</option>
            {station?.evseIds.map((id) => (
              <option key={id} value={id}>
                EVSE {id}
              </option>
            ))}
          </SelectField>
          <SelectField name="groupId" label="Driver" defaultValue="" error={fieldError(state, 'groupId')}>
            <option value="">No group / unknown driver</option>
            {groups.map((g) => (
              <option key={g.id} value={g.id}>
                In group {g.name}
              </option>
            ))}
          </SelectField>
        </div>
        <div className="flex justify-end">
          <Button type="submit" variant="secondary" disabled={pending}>
            Show the tariff
          </Button>
        </div>
      </form>
      <div aria-live="polite">
        {state && !state.ok && !state.fieldErrors ? <Alert tone="error">{state.error}</Alert> : null}
        {state?.ok ? (
          state.data ? (
            <ResolvedTariff answer={state.data} />
          ) : (
            <div
              className="rounded-lg border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900"
              data-testid="resolver-result"
            >
              <p className="font-medium">No tariff applies</p>
              <p className="mt-1">
                Sessions here for this driver are recorded at no charge. Assign a tariff to the organisation,
                this site or this station.
              </p>
            </div>
          )
        ) : null}
      </div>
    </div>
  );
}

function ResolvedTariff({ answer: a }: { answer: Answer }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-slate-50 p-3 text-sm" data-testid="resolver-result">
      <p>
        <Link
          href={`/billing/tariffs/${a.tariffId}`}
          className="font-semibold text-slate-900 hover:underline"
        >
          {a.tariffName}
        </Link>
        <span className="block text-slate-600">
          Why: the most specific assignment that matches is “{a.reason}”.
        </span>
      </p>
      <p className="mt-2 text-slate-900 tabular-nums">
        Now ({formatInZone(new Date(a.at), a.timeZone)}
        {a.band ? `, ${a.band}` : ''}):{' '}
        <strong>
          {a.energyPerKwh === null ? 'no price per kWh' : formatUnitRate(a.energyPerKwh, a.currency, 'kWh')}
        </strong>
        {a.timePerMinute !== null ? ` · ${formatUnitRate(a.timePerMinute, a.currency, 'min')} charging` : ''}
        {a.idlePerMinute !== null
          ? ` · idle ${formatUnitRate(a.idlePerMinute, a.currency, 'min')}${a.idleGraceMinutes > 0 ? ` after ${a.idleGraceMinutes} min` : ''}`
          : ''}
        {a.sessionFee > 0 ? ` · ${formatMoney(a.sessionFee, a.currency)} session fee` : ''}
        <span className="text-slate-500"> · {describeTax(a)}</span>
      </p>
    </div>
  );
}
