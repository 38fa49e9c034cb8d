'use client';

import { useActionState } from 'react';
import { issueInvoiceAction } from '@/lib/actions/billing';
import type { ActionResult } from '@/lib/actions/define-action';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { resilient } from '@/components/ui/form-state';
import { useFormDialog } from '@/components/ui/use-form-dialog';
import { ConfirmStepActions, ConfirmSummary, useConfirmStep } from './confirm-step';
import { PeriodFields } from './period-fields';

const safeIssueInvoiceAction = resilient(issueInvoiceAction);

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A 'YYYY-MM-DD' day as people read it: "May 1, 2025" (a calendar day: no zone shifts it). */
export function formatDay(day: string): string {
  if (!DAY.test(day)) return day;
  return new Intl.DateTimeFormat('en-US', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(`${day}T00:00:00Z`));
}

/** "May 1, 2025 – May 31, 2025", or the one day. */
export function formatPeriod(from: string, to: string): string {
  return from === to ? formatDay(from) : `${formatDay(from)} – ${formatDay(to)}`;
}

/**
 * Issues an invoice for a driver's priced sessions of a period. An invoice takes the next number and
 * is never withdrawn, so the dialog asks to confirm the period first.
 */
export function InvoiceDialog({
  driver,
  defaultPeriod,
  onDone,
}: {
  driver: { id: string; name: string };
  /** Preset days, 'YYYY-MM-DD' (the previous calendar month). */
  defaultPeriod: { from: string; to: string };
  /** With the new invoice's PDF. */
  onDone: (message: string, href: string) => void;
}) {
  const [state, action, pending] = useActionState(
    async (previous: ActionResult<{ id: string; documentNumber: string }> | null, formData: FormData) => {
      const result = await safeIssueInvoiceAction(previous, formData);
      if (result.ok) onDone(result.message ?? 'Invoice issued', `/api/billing/invoices/${result.data.id}`);
      return result;
    },
    null,
  );
  const { open, setOpen } = useFormDialog(state);
  const step = useConfirmStep(state, action, (formData) => {
    const from = String(formData.get('from') ?? '');
    const to = String(formData.get('to') ?? '');
    if (!DAY.test(from) || !DAY.test(to) || to < from) return null;
    return (
      <>
        <p className="font-medium">
          Invoice {driver.name} for {formatPeriod(from, to)}?
        </p>
        <p>
          It gathers their priced sessions that ended on these days and are on no invoice yet, and takes the
          next invoice number. An issued invoice cannot be withdrawn: corrections are credit notes.
        </p>
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
        Issue invoice
      </Button>
      <Dialog open={open} onClose={close} title={`Invoice ${driver.name}`}>
        <form onSubmit={step.onSubmit} className="space-y-4" noValidate>
          <input type="hidden" name="driverId" value={driver.id} />
          {state && !state.ok && !state.fieldErrors ? <Alert tone="error">{state.error}</Alert> : null}
          {step.confirming ? <ConfirmSummary>{step.summary}</ConfirmSummary> : null}
          <div hidden={step.confirming} className="space-y-4">
            <div className="grid gap-4 sm:grid-cols-2">
              <PeriodFields period={defaultPeriod} result={state} />
            </div>
            <p className="text-xs text-slate-500">
              Both days included, in UTC. Sessions already on an invoice are left out.
            </p>
          </div>
          <ConfirmStepActions
            confirming={step.confirming}
            pending={pending}
            confirmLabel="Issue invoice"
            onBack={step.back}
            onCancel={close}
          />
        </form>
      </Dialog>
    </>
  );
}
