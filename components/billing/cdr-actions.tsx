'use client';

import { useActionState, useState } from 'react';
import { issueCreditNoteAction, retryCardPaymentAction } from '@/lib/actions/billing';
import type { ActionResult } from '@/lib/actions/define-action';
import type { CdrPaymentStatus, PaymentMethod } from '@/lib/db/schema';
import { formatMoney, parseAmount, toMajorString } from '@/lib/domain/pricing/money';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog, DialogActions } from '@/components/ui/dialog';
import { TextField } from '@/components/ui/field';
import { fieldError, resilient, submitWithoutReset } from '@/components/ui/form-state';
import { useFormDialog } from '@/components/ui/use-form-dialog';
import { ConfirmStepActions, ConfirmSummary, useConfirmStep } from './confirm-step';

const safeIssueCreditNoteAction = resilient(issueCreditNoteAction);
const safeRetryCardPaymentAction = resilient(retryCardPaymentAction);

/** What a CDR's actions need to know of it; amounts in minor units of `currency`. */
export interface CdrActionsProps {
  cdrId: string;
  currency: string;
  total: number;
  creditedAmount: number;
  paymentMethod: PaymentMethod | null;
  paymentStatus: CdrPaymentStatus;
  /** Card payment attempts on file, a pending one included. */
  paymentAttempts: number;
}

/**
 * Whether a billing manager may charge the card: after a failed payment, or when no attempt was ever
 * made (ChargeOps stopped before the charge after the session; the sweep would also pick it up).
 */
function canChargeCard(
  props: Pick<CdrActionsProps, 'paymentMethod' | 'paymentStatus' | 'paymentAttempts'>,
): boolean {
  if (props.paymentMethod !== 'card') return false;
  return (
    props.paymentStatus === 'failed' || (props.paymentStatus === 'unpaid' && props.paymentAttempts === 0)
  );
}

/**
 * The corrections a billing manager makes on a charge record: a credit note for what is left to
 * credit, and a card charge when the card payment failed or was never attempted. The message of
 * the last one done stays under the buttons.
 */
export function CdrActions(props: CdrActionsProps) {
  const [notice, setNotice] = useState<string | null>(null);
  const left = props.total - props.creditedAmount;
  const canRetry = canChargeCard(props);
  // The message stays after the change that made the buttons go (fully credited, paid).
  if (left <= 0 && !canRetry && !notice) return null;
  return (
    <div className="flex flex-col items-start gap-2 sm:items-end">
      <div className="flex flex-wrap gap-2">
        {canRetry ? <RetryCardPaymentDialog {...props} onDone={setNotice} /> : null}
        {left > 0 ? <CreditNoteDialog {...props} left={left} onDone={setNotice} /> : null}
      </div>
      {notice ? (
        <p role="status" className="text-sm font-medium text-emerald-700">
          {notice}
        </p>
      ) : null}
    </div>
  );
}

function CreditNoteDialog({
  cdrId,
  currency,
  total,
  left,
  onDone,
}: CdrActionsProps & { left: number; onDone: (message: string) => void }) {
  const [state, action, pending] = useActionState(
    async (previous: ActionResult<{ number: number }> | null, formData: FormData) => {
      const result = await safeIssueCreditNoteAction(previous, formData);
      if (result.ok) onDone(result.message ?? 'Credit note issued');
      return result;
    },
    null,
  );
  const { open, setOpen } = useFormDialog(state);
  const step = useConfirmStep(state, action, (formData) => {
    const amount = parseAmount(String(formData.get('amount') ?? ''), currency);
    const reason = String(formData.get('reason') ?? '').trim();
    // Out of range or without a reason: the service's refusal shows next to the field.
    if (amount === null || amount <= 0 || amount > left || !reason) return null;
    return (
      <>
        <p className="font-medium">Credit {formatMoney(amount, currency)} of this record?</p>
        <p>
          A credit note takes the next number and {formatMoney(amount, currency)} goes off the driver’s
          balance. It cannot be withdrawn.
          {amount < left ? ` ${formatMoney(left - amount, currency)} can still be credited after it.` : ''}
        </p>
        <p className="text-amber-800">Reason: {reason}</p>
      </>
    );
  });
  const close = () => {
    step.back();
    setOpen(false);
  };
  return (
    <>
      <Button variant="secondary" onClick={() => setOpen(true)}>
        Issue credit note
      </Button>
      <Dialog open={open} onClose={close} title="Issue a credit note">
        <form onSubmit={step.onSubmit} className="space-y-4" noValidate>
          <input type="hidden" name="cdrId" value={cdrId} />
          {state && !state.ok && !state.fieldErrors ? <Alert tone="error">{state.error}</Alert> : null}
          {step.confirming ? <ConfirmSummary>{step.summary}</ConfirmSummary> : null}
          <div hidden={step.confirming} className="space-y-4">
            <TextField
              name="amount"
              label={`Amount (${currency})`}
              inputMode="decimal"
              autoComplete="off"
              defaultValue={toMajorString(left, currency)}
              hint={
                left === total
                  ? `The whole record: ${formatMoney(total, currency)}. Lower it for a partial credit.`
                  : `Left to credit: ${formatMoney(left, currency)} of ${formatMoney(total, currency)}.`
              }
              error={fieldError(state, 'amount')}
            />
            <TextField
              name="reason"
              label="Reason"
              placeholder="Charger stopped delivering energy after 5 minutes"
              maxLength={300}
              autoComplete="off"
              hint="Printed on the credit note and shown on the driver’s statement."
              error={fieldError(state, 'reason')}
            />
          </div>
          <ConfirmStepActions
            confirming={step.confirming}
            pending={pending}
            confirmLabel="Issue credit note"
            onBack={step.back}
            onCancel={close}
          />
        </form>
      </Dialog>
    </>
  );
}

function RetryCardPaymentDialog({
  cdrId,
  currency,
  total,
  creditedAmount,
  paymentStatus,
  onDone,
}: CdrActionsProps & { onDone: (message: string) => void }) {
  // Unpaid with no attempt: the card was never charged, so this is a first charge, not a retry.
  const first = paymentStatus === 'unpaid';
  const [state, action, pending] = useActionState(
    async (previous: ActionResult | null, formData: FormData) => {
      const result = await safeRetryCardPaymentAction(previous, formData);
      if (result.ok) onDone(result.message ?? 'Card charge sent');
      return result;
    },
    null,
  );
  const { open, setOpen } = useFormDialog(state);
  return (
    <>
      <Button onClick={() => setOpen(true)}>{first ? 'Charge card' : 'Retry card payment'}</Button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        title={first ? 'Charge the card now?' : 'Retry the card payment?'}
      >
        <form onSubmit={submitWithoutReset(action)} className="space-y-4" noValidate>
          <input type="hidden" name="cdrId" value={cdrId} />
          {state && !state.ok ? <Alert tone="error">{state.error}</Alert> : null}
          <p className="text-sm text-slate-700">
            {first ? 'No card payment has been attempted for this record yet. ' : null}
            ChargeOps charges {formatMoney(total - creditedAmount, currency)} to the driver’s saved card
            {first ? '' : ' again, as a new attempt'}
            {creditedAmount > 0
              ? `: the total less the ${formatMoney(creditedAmount, currency)} credited`
              : ''}
            . Whatever the card says, the attempt is listed under Payments and corrections.
          </p>
          <DialogActions onCancel={() => setOpen(false)} disabled={pending}>
            {pending ? 'Charging…' : `Charge ${formatMoney(total - creditedAmount, currency)}`}
          </DialogActions>
        </form>
      </Dialog>
    </>
  );
}
