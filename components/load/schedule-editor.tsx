'use client';

import { useId, useState } from 'react';
import { Button } from '@/components/ui/button';
import type { ScheduledLimit } from '@/lib/domain/load/types';

const dayNames = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

interface Row {
  key: number;
  label: string;
  days: number[];
  start: string;
  end: string;
  unit: 'A' | 'kW';
  value: string;
}

function rowsOf(schedule: readonly ScheduledLimit[]): Row[] {
  return schedule.map((s, i) => ({
    key: i,
    label: s.label ?? '',
    days: [...s.days],
    start: s.start,
    end: s.end,
    unit: s.limit.unit === 'A' ? 'A' : 'kW',
    value: String(s.limit.unit === 'A' ? s.limit.value : s.limit.value / 1000),
  }));
}

/** What the save action reads: a JSON array of { days, start, end, unit, value, label? }. */
function serialise(rows: Row[]): string {
  return JSON.stringify(
    rows.map((r) => ({
      days: [...r.days].sort(),
      start: r.start.trim(),
      end: r.end.trim(),
      unit: r.unit,
      // Blank stays absent (not 0), so the server refuses the row instead of saving a zero limit.
      value: r.value.trim() === '' ? undefined : Number(r.value),
      ...(r.label.trim() ? { label: r.label.trim() } : {}),
    })),
  );
}

const smallInput =
  'block w-full rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm shadow-xs focus:outline-2 focus:-outline-offset-1 focus:outline-brand-600';

/**
 * The weekly limits of a node, row by row: days, a start and end in the site's local time, and the
 * limit then. Posted as one hidden `schedule` field; the server names any row it refuses.
 */
export function ScheduleEditor({
  initial,
  error,
  timeZone,
  defaultUnit,
}: {
  initial: readonly ScheduledLimit[];
  error?: string;
  timeZone: string;
  /** The unit a new row starts in: the node's own. */
  defaultUnit: 'A' | 'kW';
}) {
  const [rows, setRows] = useState<Row[]>(() => rowsOf(initial));
  const [nextKey, setNextKey] = useState(initial.length);
  const headingId = useId();
  const fieldId = (key: number, field: string) => `${headingId}-${key}-${field}`;
  const update = (key: number, change: Partial<Row>) =>
    setRows((current) => current.map((r) => (r.key === key ? { ...r, ...change } : r)));
  return (
    <section aria-labelledby={headingId} className="space-y-3">
      <input type="hidden" name="schedule" value={serialise(rows)} />
      <div>
        <h3 id={headingId} className="text-sm font-medium text-slate-700">
          Scheduled limits
        </h3>
        <p className="text-xs text-slate-500">
          In force instead of the limit above during their hours ({timeZone} time); the first matching row
          wins. An end before the start runs into the next day; 24:00 is midnight.
        </p>
      </div>
      {rows.length === 0 ? (
        <p className="text-sm text-slate-500">None: the limit above applies all week.</p>
      ) : null}
      <ol className="space-y-3">
        {rows.map((row, index) => (
          <li key={row.key}>
            <fieldset
              className="space-y-3 rounded-lg border border-slate-200 bg-slate-50 p-3"
              aria-label={`Scheduled limit ${index + 1}`}
            >
              <div className="flex flex-wrap items-center justify-between gap-2">
                <span className="text-sm font-medium text-slate-800">Scheduled limit {index + 1}</span>
                <Button
                  variant="ghost"
                  className="px-2 py-1 text-xs"
                  onClick={() => setRows((current) => current.filter((r) => r.key !== row.key))}
                  aria-label={`Remove scheduled limit ${index + 1}`}
                >
                  Remove
                </Button>
              </div>
              <div className="flex flex-wrap gap-1.5" role="group" aria-label="Days">
                {dayNames.map((name, day) => {
                  const checked = row.days.includes(day);
                  return (
                    <label
                      key={name}
                      className={`inline-flex cursor-pointer items-center gap-1 rounded-md border px-2 py-1 text-xs font-medium ${
                        checked
                          ? 'border-brand-600 bg-brand-50 text-brand-700'
                          : 'border-slate-300 bg-white text-slate-600'
                      }`}
                    >
                      <input
                        type="checkbox"
                        className="accent-brand-600"
                        checked={checked}
                        onChange={(e) =>
                          update(row.key, {
                            days: e.target.checked ? [...row.days, day] : row.days.filter((d) => d !== day),
                          })
                        }
                      />
                      {name}
                    </label>
                  );
                })}
              </div>
              <div className="grid grid-cols-2 gap-3 sm:grid-cols-4">
                <RowField id={fieldId(row.key, 'start')} label="From">
                  <input
                    id={fieldId(row.key, 'start')}
                    className={smallInput}
                    value={row.start}
                    inputMode="numeric"
                    placeholder="08:00"
                    onChange={(e) => update(row.key, { start: e.target.value })}
                  />
                </RowField>
                <RowField id={fieldId(row.key, 'end')} label="To">
                  <input
                    id={fieldId(row.key, 'end')}
                    className={smallInput}
                    value={row.end}
                    inputMode="numeric"
                    placeholder="18:00"
                    onChange={(e) => update(row.key, { end: e.target.value })}
                  />
                </RowField>
                <RowField id={fieldId(row.key, 'value')} label="Limit">
                  <input
                    id={fieldId(row.key, 'value')}
                    className={smallInput}
                    value={row.value}
                    type="number"
                    inputMode="decimal"
                    min={0}
                    step="any"
                    onChange={(e) => update(row.key, { value: e.target.value })}
                  />
                </RowField>
                <RowField id={fieldId(row.key, 'unit')} label="Unit">
                  <select
                    id={fieldId(row.key, 'unit')}
                    className={smallInput}
                    value={row.unit}
                    onChange={(e) => update(row.key, { unit: e.target.value === 'A' ? 'A' : 'kW' })}
                  >
                    <option value="A">A per phase</option>
                    <option value="kW">kW</option>
                  </select>
                </RowField>
              </div>
              <RowField id={fieldId(row.key, 'label')} label="Name (optional)">
                <input
                  id={fieldId(row.key, 'label')}
                  className={smallInput}
                  value={row.label}
                  maxLength={40}
                  placeholder="Peak hours"
                  onChange={(e) => update(row.key, { label: e.target.value })}
                />
              </RowField>
            </fieldset>
          </li>
        ))}
      </ol>
      {error ? (
        <p className="text-sm text-rose-600" role="alert">
          {error}
        </p>
      ) : null}
      <Button
        variant="secondary"
        className="px-2.5 py-1.5 text-xs"
        disabled={rows.length >= 12}
        onClick={() => {
          setRows((current) => [
            ...current,
            {
              key: nextKey,
              label: '',
              days: [1, 2, 3, 4, 5],
              start: '08:00',
              end: '18:00',
              unit: defaultUnit,
              value: '',
            },
          ]);
          setNextKey((k) => k + 1);
        }}
      >
        Add scheduled limit
      </Button>
    </section>
  );
}

/** One labelled control of a schedule row. */
function RowField({ id, label, children }: { id: string; label: string; children: React.ReactNode }) {
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-xs font-medium text-slate-600">
        {label}
      </label>
      {children}
    </div>
  );
}
