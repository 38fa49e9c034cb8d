import { createHash, randomBytes } from 'node:crypto';
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Db, DbOrTx } from '@/lib/db';
import { chargingStations, stationCommands, stationUploads, type StationUpload } from '@/lib/db/schema';
import { AppError, notFound } from '@/lib/errors';
import { publish } from '@/lib/realtime/bus';
import { getStation } from './stations';
import type { SessionUser } from './users';

/**
 * Files chargers upload to ChargeOps (1.6 GetDiagnostics, 2.0.1 GetLog). Each request gets its own
 * secret URL, valid for a day and for one file; the token is stored hashed.
 */

/** Largest file a charger may upload. */
export const maxUploadBytes = 50 * 1024 * 1024;
const validityMs = 24 * 3_600_000;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Creates the slot a command's upload lands in; returns the token for its URL. */
export async function createUploadSlot(
  tx: DbOrTx,
  station: { id: string; organisationId: string },
  commandId: string,
  now: Date,
): Promise<string> {
  const token = randomBytes(24).toString('base64url');
  await tx.insert(stationUploads).values({
    organisationId: station.organisationId,
    stationId: station.id,
    commandId,
    tokenHash: hashToken(token),
    expiresAt: new Date(now.getTime() + validityMs),
    createdAt: now,
  });
  return token;
}

/** Remembers the file name the charger announced in its answer. */
export async function noteAnnouncedFile(tx: DbOrTx, commandId: string, fileName: string): Promise<void> {
  await tx.update(stationUploads).set({ fileName }).where(eq(stationUploads.commandId, commandId));
}

/** Stores an uploaded file; refuses unknown, expired and already used URLs. */
export async function receiveUpload(
  db: Db,
  token: string,
  file: { name: string | null; contentType: string | null; data: Buffer },
  now: Date,
): Promise<StationUpload> {
  if (!/^[A-Za-z0-9_-]{20,64}$/.test(token)) throw notFound('Upload');
  const [slot] = await db
    .select()
    .from(stationUploads)
    .where(eq(stationUploads.tokenHash, hashToken(token)));
  if (!slot) throw notFound('Upload');
  if (slot.uploadedAt) throw new AppError('conflict', 'A file was already uploaded to this URL');
  if (slot.expiresAt < now) throw new AppError('precondition_failed', 'This upload URL has expired');
  if (file.data.length > maxUploadBytes) throw new AppError('validation', 'The file is too large');
  const [stored] = await db
    .update(stationUploads)
    .set({
      fileName: file.name ?? slot.fileName ?? `upload-${slot.id}.bin`,
      contentType: file.contentType ?? 'application/octet-stream',
      sizeBytes: file.data.length,
      data: file.data,
      uploadedAt: now,
    })
    // Only into an empty slot: of two uploads racing past the check above, one lands.
    .where(and(eq(stationUploads.id, slot.id), isNull(stationUploads.uploadedAt)))
    .returning();
  if (!stored) throw new AppError('conflict', 'A file was already uploaded to this URL');
  const [station] = await db
    .select({ siteId: chargingStations.siteId })
    .from(chargingStations)
    .where(eq(chargingStations.id, slot.stationId));
  publish({
    type: 'station:changed',
    organisationId: slot.organisationId,
    siteId: station?.siteId ?? null,
    stationId: slot.stationId,
  });
  return stored;
}

export interface UploadSummary {
  id: string;
  fileName: string | null;
  contentType: string | null;
  sizeBytes: number | null;
  uploadedAt: Date | null;
  expiresAt: Date;
  createdAt: Date;
  requestedBy: string | null;
}

/** The station's requested and received files, newest first, without their content. */
export async function listStationUploads(
  db: Db,
  actor: SessionUser,
  stationId: string,
): Promise<UploadSummary[]> {
  await getStation(db, actor, stationId);
  return db
    .select({
      id: stationUploads.id,
      fileName: stationUploads.fileName,
      contentType: stationUploads.contentType,
      sizeBytes: stationUploads.sizeBytes,
      uploadedAt: stationUploads.uploadedAt,
      expiresAt: stationUploads.expiresAt,
      createdAt: stationUploads.createdAt,
      requestedBy: stationCommands.requestedByLabel,
    })
    .from(stationUploads)
    .leftJoin(stationCommands, eq(stationCommands.id, stationUploads.commandId))
    .where(eq(stationUploads.stationId, stationId))
    .orderBy(desc(stationUploads.createdAt))
    .limit(50);
}

/** One received file with its content, for download. */
export async function getStationUpload(
  db: Db,
  actor: SessionUser,
  stationId: string,
  uploadId: string,
): Promise<StationUpload & { data: Buffer }> {
  await getStation(db, actor, stationId);
  const [row] = await db
    .select()
    .from(stationUploads)
    .where(and(eq(stationUploads.id, uploadId), eq(stationUploads.stationId, stationId)));
  if (!row?.data) throw notFound('File');
  return { ...row, data: row.data };
}
