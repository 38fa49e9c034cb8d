'use client';

import { startTransition, useActionState, useState, type FormEvent } from 'react';
import { sendCommandAction } from '@/lib/actions/commands';
import type { ActionResult } from '@/lib/actions/define-action';
import { triggerableMessages, type CommandKind } from '@/lib/commands/types';
import { isDisruptive } from '@/lib/validation/commands';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { SelectField, TextField } from '@/components/ui/field';
import { fieldError, localTimeToIso } from '@/components/ui/form-state';
import { commandGroups, commandLabels, triggerLabels } from './labels';

export interface CommandFormProps {
  stationId: string;
  ocppVersion: string | null;
  /** The station's EVSE ids (1.6 connector ids). */
  evseIds: number[];
  sessions: { id: string; label: string }[];
  reservations: { id: string; label: string }[];
  initialKind?: CommandKind;
  /** Only these kinds (the overview's quick actions); all when absent. */
  kinds?: CommandKind[];
  online: boolean;
}

type Result = ActionResult<{ id: string; status: string; detail: string | null }>;

/** The outcome under the form: green when accepted, amber when the station said no, red otherwise. */
export function CommandResult({ result }: { result: Result | null }) {
  if (!result) return null;
  if (!result.ok) return result.fieldErrors ? null : <Alert tone="error">{result.error}</Alert>;
  const tone =
    result.data.status === 'accepted' ? 'success' : result.data.status === 'rejected' ? 'info' : 'error';
  return (
    <div data-testid="command-result" data-status={result.data.status}>
      <Alert tone={tone}>{result.message}</Alert>
    </div>
  );
}

/**
 * Sends any command to one station: pick it, fill its fields (checked again on the server), confirm
 * the disruptive ones, and read the station's answer right below.
 */
export function CommandForm(props: CommandFormProps) {
  const available = props.kinds ?? commandGroups.flatMap((g) => g.kinds);
  const [kind, setKind] = useState<CommandKind>(props.initialKind ?? available[0] ?? 'reset');
  const [state, dispatch, pending] = useActionState(sendCommandAction, null);
  const [confirming, setConfirming] = useState<FormData | null>(null);
  const error = (field: string) => fieldError(state, field);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formData = new FormData(event.currentTarget);
    localTimeToIso(formData, 'retrieveAtLocal', 'retrieveAt');
    const fields = Object.fromEntries(formData.entries()) as Record<string, unknown>;
    if (isDisruptive({ ...fields, kind } as Parameters<typeof isDisruptive>[0])) setConfirming(formData);
    else startTransition(() => dispatch(formData));
  };

  const evseOptions = (withStation: string | null) => (
    <>
      {withStation ? <option value="0">{withStation}</option> : null}
      {props.evseIds.map((id) => (
        <option key={id} value={id}>
          EVSE #{id}
        </option>
      ))}
    </>
  );
  const v201 = props.ocppVersion === '2.0.1';

  return (
    <form onSubmit={submit} className="space-y-4" noValidate data-testid="command-form">
      <input type="hidden" name="stationId" value={props.stationId} />
      <input type="hidden" name="kind" value={kind} />
      {available.length > 1 ? (
        <SelectField label="Command" value={kind} onChange={(e) => setKind(e.target.value as CommandKind)}>
          {commandGroups.map((group) => {
            const kinds = group.kinds.filter((k) => available.includes(k));
            return kinds.length === 0 ? null : (
              <optgroup key={group.label} label={group.label}>
                {kinds.map((k) => (
                  <option key={k} value={k}>
                    {commandLabels[k]}
                  </option>
                ))}
              </optgroup>
            );
          })}
        </SelectField>
      ) : null}

      <div className="grid gap-4 sm:grid-cols-2" key={kind}>
        {kind === 'remote-start' ? (
          <>
            <SelectField name="evseId" label="EVSE" defaultValue="" error={error('evseId')}>
              <option value="">Any free EVSE</option>
              {evseOptions(null)}
            </SelectField>
            <TextField
              name="idToken"
              label="Id token"
              error={error('idToken')}
              hint={
                v201
                  ? 'Sent as a Central token'
                  : props.ocppVersion === '1.6'
                    ? 'At most 20 characters in OCPP 1.6'
                    : undefined
              }
              autoComplete="off"
            />
          </>
        ) : null}
        {kind === 'remote-stop' ? (
          <SelectField name="sessionId" label="Session" error={error('sessionId')}>
            {props.sessions.length === 0 ? <option value="">No session in progress</option> : null}
            {props.sessions.map((s) => (
              <option key={s.id} value={s.id}>
                {s.label}
              </option>
            ))}
          </SelectField>
        ) : null}
        {kind === 'unlock' ? (
          <SelectField name="evseId" label="EVSE" error={error('evseId')}>
            {evseOptions(null)}
          </SelectField>
        ) : null}
        {kind === 'reserve' ? (
          <>
            <SelectField name="evseId" label="EVSE" defaultValue="0" error={error('evseId')}>
              {evseOptions('Any EVSE')}
            </SelectField>
            <TextField name="idToken" label="Id token" error={error('idToken')} autoComplete="off" />
            <TextField
              name="minutes"
              label="Hold for (minutes)"
              type="number"
              min={1}
              max={1440}
              defaultValue={30}
              error={error('minutes')}
            />
          </>
        ) : null}
        {kind === 'cancel-reservation' ? (
          <SelectField name="reservationId" label="Reservation" error={error('reservationId')}>
            {props.reservations.length === 0 ? <option value="">No current reservation</option> : null}
            {props.reservations.map((r) => (
              <option key={r.id} value={r.id}>
                {r.label}
              </option>
            ))}
          </SelectField>
        ) : null}
        {kind === 'reset' ? (
          <SelectField
            name="mode"
            label="Kind of reset"
            error={error('mode')}
            hint={
              v201
                ? 'Soft waits for sessions to end (OnIdle); hard ends them now (Immediate).'
                : 'Soft restarts the software; hard restarts the hardware. Both end running sessions.'
            }
          >
            <option value="soft">Soft</option>
            <option value="hard">Hard</option>
          </SelectField>
        ) : null}
        {kind === 'change-availability' ? (
          <>
            <SelectField name="evseId" label="Applies to" defaultValue="0" error={error('evseId')}>
              {evseOptions('Whole station')}
            </SelectField>
            <SelectField name="availability" label="Availability" error={error('availability')}>
              <option value="operative">Operative (in service)</option>
              <option value="inoperative">Inoperative (out of service)</option>
            </SelectField>
          </>
        ) : null}
        {kind === 'trigger-message' ? (
          <>
            <SelectField name="message" label="Message" error={error('message')}>
              {triggerableMessages.map((m) => (
                <option key={m} value={m}>
                  {triggerLabels[m]}
                </option>
              ))}
            </SelectField>
            <SelectField name="evseId" label="EVSE" defaultValue="" error={error('evseId')}>
              <option value="">Whole station</option>
              {evseOptions(null)}
            </SelectField>
          </>
        ) : null}
        {kind === 'data-transfer' ? (
          <>
            <TextField name="vendorId" label="Vendor id" error={error('vendorId')} />
            <TextField name="messageId" label="Message id (optional)" error={error('messageId')} />
            <div className="sm:col-span-2">
              <TextField name="data" label="Data (optional)" error={error('data')} />
            </div>
          </>
        ) : null}
        {kind === 'get-configuration' ? (
          <div className="sm:col-span-2">
            <TextField
              name="keys"
              label={v201 ? 'Variables' : 'Keys (optional)'}
              error={error('keys')}
              hint={
                v201
                  ? 'Comma-separated, e.g. OCPPCommCtrlr.HeartbeatInterval, EVSE@1.Power'
                  : 'Comma-separated; empty reads every key'
              }
            />
          </div>
        ) : null}
        {kind === 'change-configuration' ? (
          <>
            <TextField
              name="key"
              label="Key"
              error={error('key')}
              hint={
                v201
                  ? 'Component.Variable, e.g. SampledDataCtrlr.TxUpdatedInterval'
                  : 'e.g. MeterValueSampleInterval'
              }
            />
            <TextField name="value" label="Value" error={error('value')} />
          </>
        ) : null}
        {kind === 'get-base-report' ? (
          <SelectField name="report" label="Report" error={error('report')}>
            <option value="full">Full inventory</option>
            <option value="configuration">Configuration inventory (writable values)</option>
          </SelectField>
        ) : null}
        {kind === 'update-firmware' ? (
          <>
            <div className="sm:col-span-2">
              <TextField
                name="location"
                label="Firmware URL"
                placeholder="https://firmware.example.com/station-2.1.bin"
                error={error('location')}
              />
            </div>
            <TextField
              name="retrieveAtLocal"
              label="Download from (optional)"
              type="datetime-local"
              error={error('retrieveAt')}
              hint="Empty: now"
            />
            <TextField
              name="retries"
              label="Retries (optional)"
              type="number"
              min={0}
              max={10}
              error={error('retries')}
            />
          </>
        ) : null}
        {kind === 'upload-diagnostics' ? (
          <TextField
            name="hours"
            label="Last hours (optional)"
            type="number"
            min={1}
            error={error('hours')}
            hint="Empty: everything the station keeps. The file is uploaded to ChargeOps and listed under Files."
          />
        ) : null}
      </div>

      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={pending} variant={isDisruptive({ kind }) ? 'danger' : 'primary'}>
          {pending ? 'Waiting for the station…' : commandLabels[kind]}
        </Button>
        {!props.online ? (
          <span className="text-sm text-slate-500">
            The station is offline: commands are refused until it reconnects.
          </span>
        ) : null}
      </div>
      <CommandResult result={state} />

      <Dialog
        open={confirming !== null}
        onClose={() => setConfirming(null)}
        title={`${commandLabels[kind]}?`}
      >
        <p className="text-sm text-slate-700">
          {kind === 'reset'
            ? v201
              ? 'A hard reset restarts the station now and ends running sessions; a soft reset waits until they end.'
              : 'The station restarts and ends every running session (soft and hard alike in OCPP 1.6).'
            : kind === 'remote-stop'
              ? 'The driver’s session ends now.'
              : kind === 'update-firmware'
                ? 'The station downloads and installs the firmware, then restarts; sessions may be ended.'
                : 'The station (or EVSE) goes out of service: drivers cannot charge until it is made operative again.'}
        </p>
        <div className="mt-5 flex justify-end gap-2">
          <Button variant="secondary" onClick={() => setConfirming(null)}>
            Cancel
          </Button>
          <Button
            variant="danger"
            onClick={() => {
              const formData = confirming;
              setConfirming(null);
              if (formData) startTransition(() => dispatch(formData));
            }}
          >
            Yes, {commandLabels[kind].toLowerCase()}
          </Button>
        </div>
      </Dialog>
    </form>
  );
}
