/** "2.70 kWh" from Wh; "—" when unknown. */
export function formatEnergyWh(wh: number | null): string {
  return wh === null ? '—' : `${(wh / 1000).toFixed(2)} kWh`;
}

/** "1 h 5 min" between two instants; "—" when one is missing. */
export function formatDuration(from: Date | null, to: Date | null): string {
  if (!from || !to) return '—';
  const minutes = Math.max(0, Math.round((to.getTime() - from.getTime()) / 60_000));
  return minutes >= 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${minutes} min`;
}
