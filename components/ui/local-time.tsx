'use client';

const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/**
 * A date-time in the viewer's own time zone (for events about people, like sign-ins; times at a
 * site use the site's zone instead). The server may format in another zone; the browser's wins.
 */
export function LocalTime({ iso, fallback = 'Never' }: { iso: string | null; fallback?: string }) {
  if (!iso) return <span className="text-slate-500">{fallback}</span>;
  return (
    <time dateTime={iso} suppressHydrationWarning>
      {dateTimeFormat.format(new Date(iso))}
    </time>
  );
}
