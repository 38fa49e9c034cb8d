import type { Metadata } from 'next';
import Link from 'next/link';
import { PriorityBadge } from '@/components/maintenance/badges';
import { ScheduleActiveButton, ScheduleDialog } from '@/components/maintenance/schedule-dialog';
import { Badge } from '@/components/ui/badge';
import { EmptyState } from '@/components/ui/empty-state';
import { requirePermission } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { roleCan } from '@/lib/domain/access/roles';
import { listSchedules } from '@/lib/services/maintenance-schedules';
import { getMaintenancePolicy } from '@/lib/services/maintenance-settings';
import { listStations } from '@/lib/services/stations';

export const metadata: Metadata = { title: 'Schedules' };

// A schedule falls due at midnight UTC of the day the manager chose: show that day.
const dueDate = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' });

const everyText = (months: number) =>
  months === 1 ? 'Every month' : months === 12 ? 'Every year' : `Every ${months} months`;

export default async function SchedulesPage() {
  const user = await requirePermission('maintenance:view');
  const canManage = roleCan(user.role, 'maintenance:manage');
  const db = getDb();
  const [schedules, stations, policy] = await Promise.all([
    listSchedules(db, user),
    canManage && roleCan(user.role, 'stations:view') ? listStations(db, user) : Promise.resolve([]),
    canManage ? getMaintenancePolicy(db, user) : Promise.resolve(null),
  ]);
  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="max-w-2xl text-sm text-slate-600">
          Each schedule opens a preventive work order for its station when it falls due, then moves on by its
          interval. A paused schedule opens none.
        </p>
        {canManage ? (
          <ScheduleDialog
            stations={stations.map((s) => ({ id: s.id, identity: s.identity, siteName: s.siteName }))}
            defaultCertifications={policy?.defaultCertifications ?? []}
          />
        ) : null}
      </div>
      {schedules.length === 0 ? (
        <EmptyState title="No preventive schedules yet">
          Add one per station and kind of visit: a half-yearly inspection, a yearly RCD test, filter changes
          of a DC charger …
        </EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-xs">
          <table className="w-full min-w-[52rem] text-sm">
            <thead className="bg-slate-50 text-left text-xs font-medium text-slate-500">
              <tr>
                <th className="px-4 py-2.5">Station</th>
                <th className="px-4 py-2.5">Visit</th>
                <th className="px-4 py-2.5">Interval</th>
                <th className="px-4 py-2.5">Next due</th>
                <th className="px-4 py-2.5">Priority</th>
                <th className="px-4 py-2.5">State</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {schedules.map((schedule) => (
                <tr key={schedule.id} data-testid="schedule-row" className="align-top">
                  <td className="px-4 py-3 whitespace-nowrap">
                    <Link
                      href={`/stations/${schedule.stationId}`}
                      className="font-medium text-slate-900 hover:underline"
                    >
                      {schedule.stationIdentity}
                    </Link>
                    <span className="block text-xs text-slate-500">{schedule.siteName ?? 'No site'}</span>
                  </td>
                  <td className="px-4 py-3">
                    <span className="block max-w-sm font-medium text-slate-900">{schedule.title}</span>
                    {schedule.description ? (
                      <span
                        className="block max-w-sm truncate text-xs text-slate-500"
                        title={schedule.description}
                      >
                        {schedule.description}
                      </span>
                    ) : null}
                    {schedule.requiredCertifications.length + schedule.requiredSkills.length > 0 ? (
                      <span className="mt-1 flex flex-wrap gap-1">
                        {schedule.requiredCertifications.map((name) => (
                          <Badge key={`certification-${name}`}>{name}</Badge>
                        ))}
                        {schedule.requiredSkills.map((name) => (
                          <Badge key={`skill-${name}`} tone="blue">
                            {name}
                          </Badge>
                        ))}
                      </span>
                    ) : null}
                  </td>
                  <td className="px-4 py-3 whitespace-nowrap">{everyText(schedule.intervalMonths)}</td>
                  <td className="px-4 py-3 whitespace-nowrap">
                    <span className={schedule.active ? '' : 'text-slate-400 line-through'}>
                      {dueDate.format(schedule.nextDueAt)}
                    </span>
                  </td>
                  <td className="px-4 py-3">
                    <PriorityBadge priority={schedule.priority} />
                  </td>
                  <td className="px-4 py-3">
                    <div className="flex flex-wrap items-center gap-2">
                      <Badge tone={schedule.active ? 'green' : 'slate'}>
                        {schedule.active ? 'Active' : 'Paused'}
                      </Badge>
                      {canManage ? (
                        <ScheduleActiveButton scheduleId={schedule.id} active={schedule.active} />
                      ) : null}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
