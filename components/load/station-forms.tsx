'use client';

import { useActionState, useState } from 'react';
import { saveEvseLoadAction, saveStationLoadAction } from '@/lib/actions/load';
import type { LoadStationView } from '@/lib/services/load-views';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog, DialogActions } from '@/components/ui/dialog';
import { SelectField, TextField } from '@/components/ui/field';
import { fieldError, resilient, submitWithoutReset } from '@/components/ui/form-state';
import { useFormDialog } from '@/components/ui/use-form-dialog';
import { formError } from './form-errors';
import { formatKw } from './format';
import type { ParentOption } from './node-form';

const safeSaveStationLoadAction = resilient(saveStationLoadAction);
const safeSaveEvseLoadAction = resilient(saveEvseLoadAction);

const smallButton = 'px-2.5 py-1 text-xs';

/** Where a station hangs in the tree, and an operator's cap on the whole station. */
export function StationLoadDialog({
  station,
  nodes,
}: {
  station: Pick<LoadStationView, 'id' | 'identity' | 'nodeId' | 'pinnedMaxA'>;
  /** The site's nodes; the first is the grid connection. */
  nodes: ParentOption[];
}) {
  const [state, action, pending] = useActionState(safeSaveStationLoadAction, null);
  const { open, setOpen } = useFormDialog(state);
  const [root, ...others] = nodes;
  const error = formError(state, ['nodeId', 'pinnedMaxA']);
  return (
    <>
      <Button
        variant="secondary"
        className={smallButton}
        aria-label={`Place ${station.identity}`}
        onClick={() => setOpen(true)}
      >
        Place…
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title={`Place ${station.identity}`}>
        <form onSubmit={submitWithoutReset(action)} className="space-y-4" noValidate>
          <input type="hidden" name="stationId" value={station.id} />
          {error ? <Alert tone="error">{error}</Alert> : null}
          <SelectField
            label="Fed from"
            name="nodeId"
            defaultValue={station.nodeId ?? ''}
            error={fieldError(state, 'nodeId')}
            hint="The feeder, panel or circuit the station is wired to"
          >
            <option value="">{root ? `${root.name} (directly)` : 'Grid connection (directly)'}</option>
            {others.map((n) => (
              <option key={n.id} value={n.id}>
                {`${'\u2003'.repeat(Math.max(0, n.depth - 1))}${n.name}`}
              </option>
            ))}
          </SelectField>
          <TextField
            label="Pinned maximum (A per phase)"
            name="pinnedMaxA"
            type="number"
            inputMode="decimal"
            min={0}
            step="any"
            defaultValue={station.pinnedMaxA === null ? '' : String(station.pinnedMaxA)}
            error={fieldError(state, 'pinnedMaxA')}
            hint="Blank: none. Caps the whole station whatever the tree allows (set on it as its maximum profile)."
          />
          <DialogActions onCancel={() => setOpen(false)} disabled={pending}>
            Save
          </DialogActions>
        </form>
      </Dialog>
    </>
  );
}

/** What one EVSE may draw and how it is wired: minimum and maximum current, phases, line. */
export function EvseLoadDialog({
  station,
  evse,
  voltage,
}: {
  station: { id: string; identity: string };
  evse: LoadStationView['evses'][number];
  /** The voltage at the station's node, to show the rating in amperes. */
  voltage: number;
}) {
  const [state, action, pending] = useActionState(safeSaveEvseLoadAction, null);
  const { open, setOpen } = useFormDialog(state);
  const [phases, setPhases] = useState(String(evse.phases));
  const rated =
    evse.ratedPowerW !== null
      ? `its rating, ${formatKw(evse.ratedPowerW)} ≈ ${Math.round((evse.ratedPowerW / (voltage * evse.phases)) * 10) / 10} A per phase`
      : 'its rating (not reported: 32 A assumed)';
  const error = formError(state, ['minCurrentA', 'maxCurrentA', 'phases', 'line']);
  return (
    <>
      <Button
        variant="secondary"
        className={smallButton}
        aria-label={`Edit EVSE ${evse.evseId} of ${station.identity}`}
        onClick={() => setOpen(true)}
      >
        EVSE {evse.evseId}…
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title={`EVSE ${evse.evseId} of ${station.identity}`}>
        <form onSubmit={submitWithoutReset(action)} className="space-y-4" noValidate>
          <input type="hidden" name="stationId" value={station.id} />
          <input type="hidden" name="evseId" value={evse.evseId} />
          {error ? <Alert tone="error">{error}</Alert> : null}
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField
              label="Minimum (A per phase)"
              name="minCurrentA"
              type="number"
              inputMode="decimal"
              min={0}
              step="any"
              defaultValue={String(evse.minCurrentA)}
              error={fieldError(state, 'minCurrentA')}
              hint="Below it the session is paused (6 A for most EVs)"
            />
            <TextField
              label="Maximum (A per phase)"
              name="maxCurrentA"
              type="number"
              inputMode="decimal"
              min={1}
              step="any"
              defaultValue={evse.maxCurrentA === null ? '' : String(evse.maxCurrentA)}
              error={fieldError(state, 'maxCurrentA')}
              hint={`Blank: ${rated}`}
            />
          </div>
          <div className="grid gap-4 sm:grid-cols-2">
            <SelectField
              label="Phases"
              name="phases"
              value={phases}
              onChange={(e) => setPhases(e.target.value)}
              error={fieldError(state, 'phases')}
            >
              <option value="3">Three</option>
              <option value="1">One</option>
            </SelectField>
            {phases === '1' ? (
              <SelectField
                label="Wired to line"
                name="line"
                defaultValue={String(evse.line)}
                error={fieldError(state, 'line')}
                hint="Spread single-phase chargers over the lines"
              >
                <option value="0">L1</option>
                <option value="1">L2</option>
                <option value="2">L3</option>
              </SelectField>
            ) : null}
          </div>
          <DialogActions onCancel={() => setOpen(false)} disabled={pending}>
            Save
          </DialogActions>
        </form>
      </Dialog>
    </>
  );
}
