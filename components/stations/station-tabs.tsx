import { Tabs } from '@/components/ui/tabs';

/** The tab bar of a station's pages. */
export function StationTabs({ stationId }: { stationId: string }) {
  const base = `/stations/${stationId}`;
  return (
    <Tabs
      label="Station"
      tabs={[
        { href: base, label: 'Overview', exact: true },
        { href: `${base}/commands`, label: 'Commands' },
        { href: `${base}/configuration`, label: 'Configuration' },
        { href: `${base}/access`, label: 'Access' },
        { href: `${base}/files`, label: 'Firmware & files' },
        { href: `${base}/log`, label: 'Log' },
      ]}
    />
  );
}
