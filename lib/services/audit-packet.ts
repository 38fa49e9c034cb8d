import { asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '@/lib/db';
import {
  incidentEvents,
  organisations,
  technicianCertifications,
  workOrderPhotos,
  workOrders,
} from '@/lib/db/schema';
import { incidentKindLabels } from '@/lib/domain/maintenance/incidents';
import { priorityLabels, statusLabels, workOrderKindLabels } from '@/lib/domain/maintenance/work-orders';
import { renderAuditPacket, type AuditPacket } from '@/lib/documents/audit-packet';
import { outageExclusionLabels } from './outages';
import { getWorkOrderDetail } from './work-order-views';
import type { SessionUser } from './users';

/**
 * The audit packet of a work order: one PDF with the timeline from the fault to the verified
 * repair, the OCPP evidence, the safety checklist, parts, photos, the site contact's signature and
 * the outage minutes the repair covers (NEVI 680.116(b) asks operators to show their repairs).
 */

const timelineLabel = (kind: string, to: string | null) =>
  to ? statusLabels[to as keyof typeof statusLabels] : kind[0]!.toUpperCase() + kind.slice(1);

/** Builds the packet's content for a work order the caller may see. */
export async function auditPacketOf(
  db: Db,
  actor: SessionUser,
  id: string,
  now = new Date(),
): Promise<AuditPacket> {
  const detail = await getWorkOrderDetail(db, actor, id, now);
  const { order, station } = detail;
  const [[organisation], [signature], photos, certifications, evidence] = await Promise.all([
    db
      .select({ name: organisations.name })
      .from(organisations)
      .where(eq(organisations.id, order.organisationId)),
    db.select({ png: workOrders.signaturePng }).from(workOrders).where(eq(workOrders.id, order.id)),
    detail.photos.length > 0
      ? db
          .select({ id: workOrderPhotos.id, data: workOrderPhotos.data })
          .from(workOrderPhotos)
          .where(
            inArray(
              workOrderPhotos.id,
              detail.photos.map((p) => p.id),
            ),
          )
      : Promise.resolve([]),
    detail.assignee
      ? db
          .select()
          .from(technicianCertifications)
          .where(eq(technicianCertifications.userId, detail.assignee.id))
          .orderBy(asc(technicianCertifications.name))
      : Promise.resolve([]),
    order.incidentId
      ? db
          .select()
          .from(incidentEvents)
          .where(eq(incidentEvents.incidentId, order.incidentId))
          .orderBy(asc(incidentEvents.at), asc(incidentEvents.id))
      : Promise.resolve([]),
  ]);
  const incidentTimeline = evidence.map((e) => ({
    at: e.at,
    label: e.kind === 'detected' ? 'Fault detected' : e.kind === 'resolved' ? 'Incident cleared' : null,
    summary: e.summary,
  }));
  return {
    organisation: organisation?.name ?? '',
    generatedAt: now,
    timeZone: station.site?.timezone ?? 'UTC',
    workOrder: {
      number: order.number,
      title: order.title,
      kind: workOrderKindLabels[order.kind],
      priority: priorityLabels[order.priority],
      status: statusLabels[order.status],
      description: order.description,
      createdAt: order.createdAt,
      slaDueAt: order.slaDueAt,
      resolvedAt: order.resolvedAt,
      verifiedAt: order.verifiedAt,
      cannotFixReason: order.status === 'cannot_fix' || order.status === 'closed' ? order.reason : null,
      resolutionNotes: order.notes || null,
      requiredCertifications: order.requiredCertifications,
    },
    station: {
      identity: station.identity,
      siteName: station.site?.name ?? 'No site',
      address: station.site?.address ?? '',
      vendor: station.vendor,
      model: station.model,
      serialNumber: station.serialNumber,
      evseId: order.evseId,
    },
    technician: detail.assignee
      ? {
          name: detail.assignee.name,
          certifications: certifications.map((c) => ({ name: c.name, expiresAt: c.expiresOn })),
        }
      : null,
    timeline: [
      ...incidentTimeline
        .filter((e) => e.label)
        .map((e) => ({ at: e.at, label: e.label!, actor: 'Charger (OCPP)', note: e.summary })),
      ...detail.timeline.map((e) => ({
        at: e.at,
        label: timelineLabel(e.kind, e.toStatus),
        actor: e.actorLabel,
        note: e.note,
      })),
    ].sort((a, b) => a.at.getTime() - b.at.getTime()),
    evidence: [
      ...incidentTimeline.map((e) => ({
        at: e.at,
        source: detail.incident ? incidentKindLabels[detail.incident.kind] : 'Incident',
        summary: e.summary,
      })),
      ...detail.recentErrors.map((e) => ({
        at: e.at,
        source: `StatusNotification EVSE ${e.evseId}`,
        summary: `${e.status}${e.errorCode ? ` (${e.errorCode})` : ''}${e.info ? `: ${e.info}` : ''}`,
      })),
    ].sort((a, b) => a.at.getTime() - b.at.getTime()),
    checklist: order.checklist.map((item) => ({
      label: item.label,
      confirmedAt: item.confirmedAt ? new Date(item.confirmedAt) : null,
      confirmedBy: item.confirmedBy,
    })),
    parts: detail.parts.map((p) => ({
      sku: p.sku,
      name: p.name,
      quantity: p.quantity,
      unitCost: p.unitCostMinor,
      currency: p.currency,
    })),
    photos: detail.photos.flatMap((p) => {
      const data = photos.find((row) => row.id === p.id)?.data;
      return data
        ? [
            {
              kind: p.kind as 'before' | 'after' | 'other',
              takenAt: p.takenAt,
              caption: p.caption,
              jpeg: data,
            },
          ]
        : [];
    }),
    signature:
      signature?.png && order.signatureName && order.signedAt
        ? { signerName: order.signatureName, signedAt: order.signedAt, png: signature.png }
        : null,
    outages: detail.outages.map((o) => ({
      evseId: o.evseId,
      startedAt: o.startedAt,
      endedAt: o.endedAt,
      minutes: o.minutes,
      excluded: o.excludedReason !== null,
      excludedReason: o.excludedReason && outageExclusionLabels[o.excludedReason],
      excludedNotes: o.excludedNotes,
    })),
  };
}

/** The PDF and a file name for it. */
export async function renderWorkOrderAuditPacket(
  db: Db,
  actor: SessionUser,
  id: string,
): Promise<{ fileName: string; pdf: Buffer }> {
  const packet = await auditPacketOf(db, actor, id);
  return { fileName: `WO-${packet.workOrder.number}-audit-packet.pdf`, pdf: await renderAuditPacket(packet) };
}
