'use client';

import { useActionState } from 'react';
import { readChargingScheduleAction } from '@/lib/actions/load';
import { Button } from '@/components/ui/button';
import { resilient } from '@/components/ui/form-state';

const safeReadChargingScheduleAction = resilient(readChargingScheduleAction);

/**
 * Asks the charger what it will draw on an EVSE over the next hour (GetCompositeSchedule): the
 * station's own word for the limit ChargeOps believes it holds.
 */
export function ReadBack({
  stationId,
  evseId,
  identity,
}: {
  stationId: string;
  evseId: number;
  identity: string;
}) {
  const [state, read, reading] = useActionState(safeReadChargingScheduleAction, null);
  return (
    <form action={read} className="flex flex-wrap items-center gap-1.5">
      <input type="hidden" name="stationId" value={stationId} />
      <input type="hidden" name="evseId" value={evseId} />
      <Button
        type="submit"
        variant="secondary"
        className="px-2 py-0.5 text-xs"
        disabled={reading}
        aria-label={`Read back the schedule of ${identity} EVSE ${evseId}`}
      >
        {reading ? 'Asking…' : `Read back EVSE ${evseId}`}
      </Button>
      {state ? (
        <span role="status" className={state.ok ? 'text-slate-700' : 'text-rose-700'}>
          {state.ok ? state.message : state.error}
        </span>
      ) : null}
    </form>
  );
}
