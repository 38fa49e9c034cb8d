/** "12.5 kW" from watts; "—" when unknown. */
export function formatPowerW(watts: number | null): string {
  if (watts === null) return '—';
  const kw = watts / 1000;
  return `${kw >= 100 ? Math.round(kw).toLocaleString('en-US') : kw.toFixed(1).replace(/\.0$/, '')} kW`;
}

/** A date-time in a site's time zone with the zone's short name; "Never" for null. */
export function formatInZone(date: Date | null, timeZone: string | null): string {
  if (!date) return 'Never';
  return new Intl.DateTimeFormat('en-US', {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZone: timeZone ?? 'UTC',
    timeZoneName: 'short',
  }).format(date);
}

/** Human names for OCPP 2.0.1 ConnectorEnumType values. */
export function connectorTypeLabel(type: string | null): string {
  const labels: Record<string, string> = {
    cCCS1: 'CCS1',
    cCCS2: 'CCS2',
    cG105: 'CHAdeMO',
    cTesla: 'Tesla',
    cType1: 'J1772',
    cType2: 'Type 2',
    cChaoJi: 'ChaoJi',
    cGBT: 'GB/T',
  };
  return type ? (labels[type] ?? type) : 'Unknown type';
}
