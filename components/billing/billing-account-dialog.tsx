'use client';

import { useActionState, useState } from 'react';
import { setBillingAccountAction } from '@/lib/actions/billing';
import type { ActionResult } from '@/lib/actions/define-action';
import type { PaymentMethod } from '@/lib/db/schema';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog, DialogActions } from '@/components/ui/dialog';
import { SelectField, TextField } from '@/components/ui/field';
import { fieldError, resilient, submitWithoutReset } from '@/components/ui/form-state';
import { useFormDialog } from '@/components/ui/use-form-dialog';

const safeSetBillingAccountAction = resilient(setBillingAccountAction);

/** How a payment method reads, and what it means for the driver's sessions. */
export const methodLabels: Record<PaymentMethod, { label: string; hint: string }> = {
  account: {
    label: 'On account',
    hint: 'Sessions add up on their account; they pay by transfer or in cash, usually against an invoice.',
  },
  prepaid: {
    label: 'Prepaid',
    hint: 'Sessions are paid from a balance they top up; a session the balance does not cover waits as failed.',
  },
  card: {
    label: 'Saved card',
    hint: 'Each session is charged to their card when it ends.',
  },
};

/** A driver's billing account as the dialog presets it; the card fields when the loader has them. */
export interface BillingAccountView {
  method: PaymentMethod;
  currency: string;
  cardLabel?: string | null;
  customerRef?: string | null;
  paymentMethodRef?: string | null;
}

/** Sets how a driver pays: on account, prepaid or by a saved card (the provider's ids), and in which currency. */
export function BillingAccountDialog({
  driver,
  account,
  fallbackCurrency = 'USD',
  onDone,
}: {
  driver: { id: string; name: string };
  account: BillingAccountView | null;
  /** The currency to preset when the driver has no account yet. */
  fallbackCurrency?: string;
  onDone: (message: string) => void;
}) {
  const [state, action, pending] = useActionState(
    async (previous: ActionResult | null, formData: FormData) => {
      const result = await safeSetBillingAccountAction(previous, formData);
      if (result.ok) onDone(result.message ?? 'Saved');
      return result;
    },
    null,
  );
  const { open, setOpen } = useFormDialog(state);
  const [method, setMethod] = useState<PaymentMethod>(account?.method ?? 'account');
  const card = method === 'card';
  // The saved ids are not on the page when the loader leaves them out: say so rather than show blanks as if none were saved.
  const idsUnknown = account?.method === 'card' && account.customerRef === undefined;
  return (
    <>
      <Button
        variant="secondary"
        onClick={() => {
          // Each opening starts from what is saved, like the fields below.
          setMethod(account?.method ?? 'account');
          setOpen(true);
        }}
      >
        How they pay
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title={`How ${driver.name} pays`}>
        <form onSubmit={submitWithoutReset(action)} className="space-y-4" noValidate>
          <input type="hidden" name="driverId" value={driver.id} />
          {state && !state.ok && !state.fieldErrors ? <Alert tone="error">{state.error}</Alert> : null}
          <div className="grid gap-4 sm:grid-cols-[1fr_8rem]">
            <SelectField
              name="method"
              label="Pays"
              value={method}
              onChange={(event) => setMethod(event.target.value as PaymentMethod)}
              hint={methodLabels[method].hint}
              error={fieldError(state, 'method')}
            >
              {(Object.keys(methodLabels) as PaymentMethod[]).map((m) => (
                <option key={m} value={m}>
                  {methodLabels[m].label}
                </option>
              ))}
            </SelectField>
            <TextField
              name="currency"
              label="Currency"
              defaultValue={account?.currency ?? fallbackCurrency}
              maxLength={3}
              autoCapitalize="characters"
              autoComplete="off"
              className="uppercase"
              hint="ISO code"
              error={fieldError(state, 'currency')}
            />
          </div>
          {/* Disabled while hidden: kept as typed when the method changes back, but not sent for another method. */}
          <fieldset disabled={!card} hidden={!card} className="space-y-4">
            <p className="text-sm text-slate-600">
              The ids come from the card provider (Stripe): ChargeOps never sees the card number.
              {idsUnknown
                ? ' The saved ids and label are not shown here: enter them again to keep charging the saved card.'
                : null}
            </p>
            <div className="grid gap-4 sm:grid-cols-2">
              <TextField
                name="customerRef"
                label="Customer id"
                placeholder="cus_…"
                defaultValue={account?.customerRef ?? ''}
                maxLength={120}
                autoComplete="off"
                spellCheck={false}
                error={fieldError(state, 'customerRef')}
              />
              <TextField
                name="paymentMethodRef"
                label="Payment method id"
                placeholder="pm_…"
                defaultValue={account?.paymentMethodRef ?? ''}
                maxLength={120}
                autoComplete="off"
                spellCheck={false}
                error={fieldError(state, 'paymentMethodRef')}
              />
            </div>
            <TextField
              name="cardLabel"
              label="Card label (optional)"
              placeholder="Visa •••• 4242"
              defaultValue={account?.cardLabel ?? ''}
              maxLength={60}
              autoComplete="off"
              hint="Printed on invoices and shown here, so people know which card it is."
              error={fieldError(state, 'cardLabel')}
            />
          </fieldset>
          <p className="text-xs text-slate-500">
            Applies to sessions that end from now on; records already written keep how they were paid. Keep
            the currency of their past sessions: a statement shows one currency.
          </p>
          <DialogActions onCancel={() => setOpen(false)} disabled={pending}>
            Save
          </DialogActions>
        </form>
      </Dialog>
    </>
  );
}
