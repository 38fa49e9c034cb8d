/**
 * A node's load at a glance: allocated as a filled bar against the limit in force (the full width),
 * and what is measured as a marker. Without a limit the bar scales to the larger of the two.
 */
export function LoadBar({
  limit,
  allocated,
  measured,
  unit,
}: {
  limit: number | null;
  allocated: number;
  measured: number | null;
  /** 'A' or 'kW', for the accessible description. */
  unit: string;
}) {
  const scale = limit !== null && limit > 0 ? limit : Math.max(allocated, measured ?? 0, 1);
  const percent = (v: number) => Math.max(0, Math.min(100, (v / scale) * 100));
  const over = limit !== null && measured !== null && measured > limit;
  const round = (v: number) => Math.round(v * 10) / 10;
  const description = [
    `Allocated ${round(allocated)} ${unit}`,
    limit !== null ? `of ${round(limit)} ${unit}` : 'with no limit',
    measured !== null ? `measured ${round(measured)} ${unit}` : 'nothing measured',
  ].join(', ');
  return (
    <div role="img" aria-label={description} className="relative h-2.5 w-full rounded-full bg-slate-100">
      <div
        className={`absolute inset-y-0 left-0 rounded-full ${limit === null ? 'bg-sky-300' : 'bg-brand-500'}`}
        style={{ width: `${percent(allocated)}%` }}
      />
      {measured !== null ? (
        <div
          className={`absolute -inset-y-1 w-0.5 rounded ${over ? 'bg-rose-600' : 'bg-slate-800'}`}
          style={{ left: `calc(${percent(measured)}% - 1px)` }}
        />
      ) : null}
    </div>
  );
}
