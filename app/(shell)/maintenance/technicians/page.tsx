import type { Metadata } from 'next';
import Link from 'next/link';
import {
  AddCertificationDialog,
  RemoveCertificationButton,
} from '@/components/maintenance/certification-form';
import { TechnicianProfileDialog } from '@/components/maintenance/technician-profile-dialog';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { LocalTime } from '@/components/ui/local-time';
import { requirePermission } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import type { TechnicianCertification } from '@/lib/db/schema';
import { roleCan } from '@/lib/domain/access/roles';
import { certificationStanding, describeWorkDays } from '@/lib/domain/maintenance/technicians';
import { listSites } from '@/lib/services/sites';
import { listTechnicians, type TechnicianView } from '@/lib/services/technicians';

export const metadata: Metadata = { title: 'Technicians' };

// Certifications expire on a calendar date stored as midnight UTC: show that date, not the viewer's.
const calendarDate = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' });

function Expiry({ certification, now }: { certification: TechnicianCertification; now: Date }) {
  const standing = certificationStanding(certification.expiresOn, now);
  const date = certification.expiresOn ? calendarDate.format(certification.expiresOn) : '';
  switch (standing.state) {
    case 'permanent':
      return <span className="text-slate-500">No expiry</span>;
    case 'expired':
      return <span className="font-medium text-rose-700">Expired on {date}</span>;
    case 'expiring':
      return (
        <span className="font-medium text-amber-700" title={`Expires on ${date}`}>
          Expires in {standing.daysLeft} {standing.daysLeft === 1 ? 'day' : 'days'}
        </span>
      );
    case 'valid':
      return <span className="text-slate-600">Valid until {date}</span>;
  }
}

function TechnicianCard({
  technician,
  siteNames,
  canManage,
  now,
}: {
  technician: TechnicianView;
  siteNames: Map<string, string>;
  canManage: boolean;
  now: Date;
}) {
  const profile = technician.profile;
  const known = technician.siteIds.flatMap((id) => siteNames.get(id) ?? []);
  const others = technician.siteIds.length - known.length;
  return (
    <Card
      title={technician.name}
      actions={
        canManage ? (
          <div className="flex flex-wrap gap-2">
            <TechnicianProfileDialog
              technicianId={technician.id}
              name={technician.name}
              profile={
                profile
                  ? {
                      phone: profile.phone,
                      skills: profile.skills,
                      homeBase: profile.homeBase,
                      homeLatitude: profile.homeLatitude,
                      homeLongitude: profile.homeLongitude,
                      workDays: profile.workDays,
                      workStart: profile.workStart,
                      workEnd: profile.workEnd,
                      timezone: profile.timezone,
                    }
                  : null
              }
            />
            <AddCertificationDialog technicianId={technician.id} name={technician.name} />
          </div>
        ) : null
      }
    >
      <div data-testid="technician" className="space-y-4">
        <p className="flex flex-wrap items-center gap-2 text-sm text-slate-600">
          <span className="break-all">{technician.email}</span>
          {profile?.phone ? <span>· {profile.phone}</span> : null}
          {technician.active ? null : <Badge tone="red">Deactivated</Badge>}
        </p>
        <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-[9rem_minmax(0,1fr)]">
          <dt className="text-slate-500">Sites</dt>
          <dd>
            {technician.siteIds.length === 0 ? (
              <span className="text-amber-700">None yet: give them sites under Settings → Users</span>
            ) : (
              [...known, ...(others > 0 ? [`${others} other ${others === 1 ? 'site' : 'sites'}`] : [])].join(
                ', ',
              )
            )}
          </dd>

          <dt className="text-slate-500">Certifications</dt>
          <dd>
            {technician.certifications.length === 0 ? (
              <span className="text-slate-500">None recorded</span>
            ) : (
              <ul className="space-y-1">
                {technician.certifications.map((c) => (
                  <li
                    key={c.id}
                    className="flex flex-wrap items-baseline gap-x-2"
                    data-testid="certification"
                  >
                    <span className="font-medium text-slate-900">{c.name}</span>
                    {c.reference ? <span className="text-xs text-slate-500">{c.reference}</span> : null}
                    <Expiry certification={c} now={now} />
                    {canManage ? (
                      <RemoveCertificationButton
                        certificationId={c.id}
                        label={c.name}
                        technicianName={technician.name}
                      />
                    ) : null}
                  </li>
                ))}
              </ul>
            )}
          </dd>

          <dt className="text-slate-500">Skills</dt>
          <dd>
            {profile && profile.skills.length > 0 ? (
              <span className="flex flex-wrap gap-1">
                {profile.skills.map((skill) => (
                  <Badge key={skill}>{skill}</Badge>
                ))}
              </span>
            ) : (
              <span className="text-slate-500">None recorded</span>
            )}
          </dd>

          <dt className="text-slate-500">Home base</dt>
          <dd>
            {profile?.homeBase ? profile.homeBase : <span className="text-slate-500">Not set</span>}
            {profile?.homeLatitude != null && profile.homeLongitude != null ? (
              <span className="block text-xs text-slate-500 tabular-nums">
                {profile.homeLatitude.toFixed(4)}, {profile.homeLongitude.toFixed(4)}
              </span>
            ) : null}
          </dd>

          <dt className="text-slate-500">Working hours</dt>
          <dd>
            {profile ? (
              profile.workDays.length === 0 ? (
                'Any time'
              ) : (
                <>
                  {describeWorkDays(profile.workDays)}, {profile.workStart}–{profile.workEnd}
                  <span className="block text-xs text-slate-500">
                    {profile.timezone.replaceAll('_', ' ')}
                  </span>
                </>
              )
            ) : (
              <span className="text-slate-500">Not set: dispatch treats them as always available</span>
            )}
          </dd>

          <dt className="text-slate-500">Location shared</dt>
          <dd>
            <LocalTime iso={profile?.lastLocationAt?.toISOString() ?? null} fallback="Never" />
          </dd>

          <dt className="text-slate-500">Open work orders</dt>
          <dd className="tabular-nums">{technician.openOrders}</dd>

          <dt className="text-slate-500">Van stock</dt>
          <dd>
            {technician.vanId ? (
              <Link href={`/maintenance/parts/locations/${technician.vanId}`} className="hover:underline">
                Yes: see the van
              </Link>
            ) : (
              'No'
            )}
          </dd>
        </dl>
      </div>
    </Card>
  );
}

export default async function TechniciansPage() {
  const user = await requirePermission('maintenance:view');
  const db = getDb();
  const [technicians, sites] = await Promise.all([
    listTechnicians(db, user),
    roleCan(user.role, 'sites:view') ? listSites(db, user) : Promise.resolve([]),
  ]);
  const siteNames = new Map(sites.map((s) => [s.id, s.name]));
  const canManage = roleCan(user.role, 'maintenance:manage');
  const now = new Date();
  return (
    <div className="space-y-5">
      <p className="max-w-2xl text-sm text-slate-600">
        Dispatch ranks the technicians of a work order’s site: those who hold its certifications (unexpired)
        and skills first, then those on shift now, the nearest, the least busy. Shared locations show in your
        time zone.
      </p>
      {technicians.length === 0 ? (
        <EmptyState title="No technicians yet">
          Technicians are users with the Technician role. Add them under{' '}
          <Link href="/settings/users" className="text-brand-700 font-medium hover:underline">
            Settings → Users
          </Link>
          , then come back to record their certifications and working hours.
        </EmptyState>
      ) : (
        <div className="grid gap-5 lg:grid-cols-2">
          {technicians.map((technician) => (
            <TechnicianCard
              key={technician.id}
              technician={technician}
              siteNames={siteNames}
              canManage={canManage}
              now={now}
            />
          ))}
        </div>
      )}
    </div>
  );
}
