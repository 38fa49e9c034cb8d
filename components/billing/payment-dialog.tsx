'use client';

import { useActionState } from 'react';
import { recordDriverPaymentAction } from '@/lib/actions/billing';
import type { ActionResult } from '@/lib/actions/define-action';
import type { PaymentMethod } from '@/lib/db/schema';
import { formatMoney, isCurrency, parseAmount } from '@/lib/domain/pricing/money';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { TextField } from '@/components/ui/field';
import { fieldError, resilient } from '@/components/ui/form-state';
import { useFormDialog } from '@/components/ui/use-form-dialog';
import { ConfirmStepActions, ConfirmSummary, useConfirmStep } from './confirm-step';

const safeRecordDriverPaymentAction = resilient(recordDriverPaymentAction);

/**
 * Money received from a driver: a top-up for a prepaid driver, a payment (transfer, cash) otherwise.
 * Asks to confirm the amount before recording it, since a recorded payment has no undo.
 */
export function PaymentDialog({
  driver,
  method,
  currency,
  fallbackCurrency = 'USD',
  onDone,
}: {
  driver: { id: string; name: string };
  method: PaymentMethod | null;
  /** The account's currency; null without an account (the form then asks for one). */
  currency: string | null;
  /** The currency to offer when the driver has no account yet. */
  fallbackCurrency?: string;
  onDone: (message: string) => void;
}) {
  const topUp = method === 'prepaid';
  const [state, action, pending] = useActionState(
    async (previous: ActionResult | null, formData: FormData) => {
      const result = await safeRecordDriverPaymentAction(previous, formData);
      if (result.ok)
        onDone(
          topUp
            ? 'Top-up recorded: sessions waiting for it are paid as far as it goes'
            : 'Payment recorded: the unpaid charge records it covers are now paid',
        );
      return result;
    },
    null,
  );
  const { open, setOpen } = useFormDialog(state);
  const step = useConfirmStep(state, action, (formData) => {
    const typed = String(formData.get('currency') ?? '')
      .trim()
      .toUpperCase();
    // As the service reads it: the account's currency, else the one typed, else USD.
    const code = currency ?? (typed || 'USD');
    if (!isCurrency(code)) return null;
    const amount = parseAmount(String(formData.get('amount') ?? ''), code);
    if (amount === null || amount <= 0) return null;
    const reference = String(formData.get('reference') ?? '').trim();
    return (
      <>
        <p className="font-medium">
          {topUp ? 'Top up' : 'Record a payment of'} {formatMoney(amount, code)} {topUp ? 'for' : 'from'}{' '}
          {driver.name}?
        </p>
        <p>
          {topUp
            ? 'It is added to their prepaid balance and pays sessions waiting for it, oldest first.'
            : 'It pays their unpaid charge records it covers, oldest first; anything over stays on their account as credit.'}{' '}
          {reference ? `Reference: ${reference}. ` : ''}A recorded payment cannot be undone.
        </p>
      </>
    );
  });
  const close = () => {
    step.back();
    setOpen(false);
  };
  const label = topUp ? 'Top up' : 'Record payment';
  return (
    <>
      <Button variant="secondary" onClick={() => setOpen(true)}>
        {label}
      </Button>
      <Dialog
        open={open}
        onClose={close}
        title={topUp ? `Top up ${driver.name}` : `Payment from ${driver.name}`}
      >
        <form onSubmit={step.onSubmit} className="space-y-4" noValidate>
          <input type="hidden" name="driverId" value={driver.id} />
          {state && !state.ok && !state.fieldErrors ? <Alert tone="error">{state.error}</Alert> : null}
          {step.confirming ? <ConfirmSummary>{step.summary}</ConfirmSummary> : null}
          <div hidden={step.confirming} className="space-y-4">
            <div className="grid gap-4 sm:grid-cols-[1fr_8rem]">
              <TextField
                name="amount"
                label={currency ? `Amount (${currency})` : 'Amount'}
                inputMode="decimal"
                autoComplete="off"
                placeholder="25.00"
                error={fieldError(state, 'amount')}
              />
              {currency ? null : (
                <TextField
                  name="currency"
                  label="Currency"
                  defaultValue={fallbackCurrency}
                  maxLength={3}
                  autoCapitalize="characters"
                  autoComplete="off"
                  className="uppercase"
                  error={fieldError(state, 'currency')}
                />
              )}
            </div>
            <TextField
              name="reference"
              label="Reference (optional)"
              placeholder={topUp ? 'Cash at the front desk' : 'Bank transfer 2025-118'}
              maxLength={120}
              autoComplete="off"
              error={fieldError(state, 'reference')}
            />
          </div>
          <ConfirmStepActions
            confirming={step.confirming}
            pending={pending}
            confirmLabel={label}
            onBack={step.back}
            onCancel={close}
          />
        </form>
      </Dialog>
    </>
  );
}
