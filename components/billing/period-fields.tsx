import type { ActionResult } from '@/lib/actions/define-action';
import { TextField } from '@/components/ui/field';
import { fieldError } from '@/components/ui/form-state';

/** The "First day" and "Last day" date fields of a billing period (both days included), with their errors. */
export function PeriodFields({
  period,
  result,
}: {
  period: { from: string; to: string };
  result: ActionResult<unknown> | null;
}) {
  return (
    <>
      <TextField
        name="from"
        label="First day"
        type="date"
        defaultValue={period.from}
        error={fieldError(result, 'from')}
      />
      <TextField
        name="to"
        label="Last day"
        type="date"
        defaultValue={period.to}
        error={fieldError(result, 'to')}
      />
    </>
  );
}
