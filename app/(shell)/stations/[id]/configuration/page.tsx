import type { Metadata } from 'next';
import Link from 'next/link';
import { ConfigurationTable } from '@/components/commands/configuration-table';
import { QuickCommand } from '@/components/commands/quick-command';
import { formatInZone } from '@/components/stations/format';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { requirePermission } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { roleCan } from '@/lib/domain/access/roles';
import type { DriftState } from '@/lib/domain/configuration/defaults';
import { getStationConfiguration } from '@/lib/services/configuration';
import { loadStation } from '../load-station';

export const metadata: Metadata = { title: 'Station configuration' };

const driftLabels: Record<DriftState, { label: string; tone: BadgeTone }> = {
  'in-sync': { label: 'As wanted', tone: 'green' },
  drift: { label: 'Differs', tone: 'amber' },
  'not-reported': { label: 'Not reported', tone: 'slate' },
  'read-only': { label: 'Differs (read-only)', tone: 'red' },
};

/** Wanted against actual configuration, and everything the station reported (1.6 keys or 2.0.1 device model). */
export default async function StationConfigurationPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePermission('stations:view');
  const { id } = await params;
  const station = await loadStation(user, id);
  const configuration = await getStationConfiguration(getDb(), user, id);
  const canCommand = roleCan(user.role, 'stations:command');
  const v201 = configuration.ocppVersion === '2.0.1';
  const readAll: Record<string, string> = v201
    ? { kind: 'get-base-report', report: 'full' }
    : { kind: 'get-configuration', keys: '' };
  const lastReport = configuration.variables.reduce<Date | null>(
    (latest, v) => (latest && latest > v.reportedAt ? latest : v.reportedAt),
    null,
  );

  return (
    <div className="space-y-6">
      <Card
        title="Wanted configuration"
        actions={
          user.role === 'admin' ? (
            <Link href="/settings/configuration" className="text-brand-700 text-sm hover:underline">
              Edit defaults
            </Link>
          ) : null
        }
      >
        {configuration.drift.length === 0 ? (
          <p className="text-sm text-slate-600">
            {configuration.ocppVersion
              ? `No configuration defaults for OCPP ${configuration.ocppVersion} stations.`
              : 'The station has not booted yet, so its OCPP version and configuration are unknown.'}
          </p>
        ) : (
          <>
            <p className="mb-3 text-sm text-slate-600">
              ChargeOps applies these after every boot (organisation defaults, with this site&apos;s
              overrides).
            </p>
            <div className="overflow-x-auto">
              <table className="w-full min-w-[36rem] text-sm" data-testid="drift-table">
                <thead className="text-left text-xs text-slate-500">
                  <tr>
                    <th className="pb-2 font-medium">Key</th>
                    <th className="pb-2 font-medium">Wanted</th>
                    <th className="pb-2 font-medium">Station</th>
                    <th className="pb-2 font-medium">State</th>
                    <th className="pb-2" />
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100 align-top">
                  {configuration.drift.map((d) => (
                    <tr key={d.key} data-testid="drift-row" data-key={d.key} data-state={d.state}>
                      <td className="py-2 pr-3 font-mono text-xs whitespace-nowrap">{d.key}</td>
                      <td className="py-2 pr-3 [overflow-wrap:anywhere]">{d.wanted}</td>
                      <td className="py-2 pr-3 [overflow-wrap:anywhere]">{d.actual ?? '—'}</td>
                      <td className="py-2 pr-3">
                        <Badge tone={driftLabels[d.state].tone}>{driftLabels[d.state].label}</Badge>
                      </td>
                      <td className="py-2 text-right">
                        {canCommand && d.state === 'drift' ? (
                          <QuickCommand
                            stationId={station.id}
                            fields={{ kind: 'change-configuration', key: d.key, value: d.wanted }}
                            label="Apply"
                          />
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </Card>

      <Card
        title={v201 ? 'Device model' : 'Configuration keys'}
        actions={
          canCommand ? (
            <QuickCommand
              stationId={station.id}
              fields={readAll}
              label={v201 ? 'Request base report' : 'Read all keys'}
            />
          ) : null
        }
      >
        {configuration.variables.length === 0 ? (
          <p className="text-sm text-slate-600">
            Nothing reported yet.{' '}
            {v201
              ? 'Request a base report: the station sends its device model in parts.'
              : 'Read all keys to see the station’s configuration.'}
          </p>
        ) : (
          <>
            <p className="mb-3 text-sm text-slate-600">
              {configuration.variables.length} values, last reported{' '}
              {formatInZone(lastReport, station.siteTimezone ?? 'UTC')}.
            </p>
            <ConfigurationTable
              stationId={station.id}
              canEdit={canCommand}
              rows={configuration.variables.map((v) => ({
                key: v.key,
                attributeType: v.attributeType,
                value: v.value,
                readonly: v.readonly,
                unit: v.unit,
                dataType: v.dataType,
                reportedAt: v.reportedAt.toISOString(),
              }))}
            />
          </>
        )}
      </Card>
    </div>
  );
}
