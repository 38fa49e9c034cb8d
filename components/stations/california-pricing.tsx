'use client';

import { useActionState } from 'react';
import { setCaliforniaPricingAction } from '@/lib/actions/stations';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { submitWithoutReset } from '@/components/ui/form-state';

/** The per-station switch for OCPP 1.6 price and cost display (OCA California pricing DataTransfer). */
export function CaliforniaPricing({ stationId, enabled }: { stationId: string; enabled: boolean }) {
  const [result, action, pending] = useActionState(setCaliforniaPricingAction, null);
  return (
    <form onSubmit={submitWithoutReset(action)} className="space-y-2">
      <input type="hidden" name="id" value={stationId} />
      <input type="hidden" name="enabled" value={enabled ? 'false' : 'true'} />
      {result ? (
        <Alert tone={result.ok ? 'success' : 'error'}>{result.ok ? result.message : result.error}</Alert>
      ) : null}
      <p className="text-sm text-slate-700">
        Price display: <strong>{enabled ? 'on' : 'off'}</strong>. When on, this OCPP 1.6 charger gets the
        driver&apos;s price after Authorize and the running and final cost of each session as DataTransfer
        messages (OCA California pricing, vendor <code>org.openchargealliance.costmsg</code>). Switch it on
        only for chargers whose firmware supports it.
      </p>
      <Button type="submit" variant="secondary" disabled={pending}>
        {enabled ? 'Switch price display off' : 'Switch price display on'}
      </Button>
    </form>
  );
}
