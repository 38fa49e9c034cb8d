import { buttonClass } from '@/components/ui/button';
import { SelectField, TextField } from '@/components/ui/field';

export interface RevenueFilterValues {
  from: string;
  to: string;
  granularity: string;
  by: string;
  tz: string;
}

/** The period, bucket size, split and time zone of the revenue charts: a plain GET form. */
export function RevenueFilters({
  values,
  timeZones,
  errors = {},
}: {
  values: RevenueFilterValues;
  timeZones: readonly string[];
  errors?: Record<string, string>;
}) {
  return (
    <form
      method="get"
      action="/billing/revenue"
      aria-label="Revenue filters"
      className="grid grid-cols-2 items-start gap-3 rounded-xl border border-slate-200 bg-white p-4 shadow-xs sm:grid-cols-3 lg:grid-cols-[repeat(5,minmax(0,1fr))_auto]"
    >
      <TextField
        label="From"
        name="from"
        type="date"
        defaultValue={values.from}
        error={errors.from}
        required
      />
      <TextField label="To" name="to" type="date" defaultValue={values.to} error={errors.to} required />
      <SelectField
        label="Per"
        name="granularity"
        defaultValue={values.granularity}
        error={errors.granularity}
      >
        <option value="day">Day</option>
        <option value="week">Week</option>
        <option value="month">Month</option>
      </SelectField>
      <SelectField label="Split by" name="by" defaultValue={values.by} error={errors.by}>
        <option value="total">Total</option>
        <option value="site">Site</option>
        <option value="group">Driver group</option>
      </SelectField>
      <div className="col-span-2 sm:col-span-1">
        <SelectField label="Time zone" name="tz" defaultValue={values.tz} error={errors.timeZone}>
          {timeZones.map((zone) => (
            <option key={zone} value={zone}>
              {zone}
            </option>
          ))}
        </SelectField>
      </div>
      <div className="col-span-2 sm:col-span-1 sm:pt-6">
        <button type="submit" className={buttonClass('primary', 'w-full lg:w-auto')}>
          Show
        </button>
      </div>
    </form>
  );
}
