import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { sendCommand, type CommandDeps } from '@/lib/commands/send';
import { stationUploads } from '@/lib/db/schema';
import { setupOcppHarness } from '@/lib/ocpp/testing';
import { aSite, aUser } from './testing';
import { getStationUpload, listStationUploads, maxUploadBytes, receiveUpload } from './uploads';
import type { SessionUser } from './users';

// Files a charger uploads to the secret URL a diagnostics command gave it (1.6 GetDiagnostics,
// 2.0.1 GetLog): the URL comes from a real command over a real WebSocket.
const h = setupOcppHarness();
const now = new Date('2026-11-20T08:00:00.000Z');
const later = (ms: number) => new Date(now.getTime() + ms);
let admin: SessionUser;
let deps: CommandDeps;
let port: number;

beforeAll(async () => {
  const endpoint = await h.startEndpoint('off');
  port = endpoint.port;
  admin = await aUser(h.db, h.scope.organisationId, { role: 'admin' });
  deps = {
    gateway: endpoint.ocpp.gateway,
    timeoutMs: 5000,
    now: () => now,
    publicUrl: 'https://cpms.example.com',
  };
});

/** Asks a charger for its diagnostics; returns the upload token its URL carries. */
async function anUploadSlot(protocol: 'ocpp1.6' | 'ocpp2.0.1' = 'ocpp1.6') {
  const { station, charger } = await h.aConnectedCharger(port, protocol);
  let location = '';
  charger.handle('GetDiagnostics', async ({ params }) => {
    location = (params as { location: string }).location;
    return { fileName: 'announced.zip' };
  });
  charger.handle('GetLog', async ({ params }) => {
    location = (params as { log: { remoteLocation: string } }).log.remoteLocation;
    return { status: 'Accepted', filename: 'announced.tgz' };
  });
  const command = await sendCommand(h.db, admin, station.id, { kind: 'upload-diagnostics' }, deps);
  expect(command.status).toBe('accepted');
  const prefix = 'https://cpms.example.com/api/uploads/';
  expect(location.startsWith(prefix)).toBe(true);
  return { station, command, token: location.slice(prefix.length) };
}

const file = (text: string, name: string | null = 'diag-2026.zip') => ({
  name,
  contentType: 'application/zip',
  data: Buffer.from(text),
});

describe('receiveUpload', () => {
  it.each(['ocpp1.6', 'ocpp2.0.1'] as const)(
    '%s: stores the file in the slot of its command; operators list and download it',
    async (protocol) => {
      const { station, command, token } = await anUploadSlot(protocol);
      const stored = await receiveUpload(h.db, token, file('log lines'), later(60_000));
      expect(stored).toMatchObject({
        stationId: station.id,
        commandId: command.id,
        fileName: 'diag-2026.zip',
        contentType: 'application/zip',
        sizeBytes: 9,
        uploadedAt: later(60_000),
      });
      expect(await listStationUploads(h.db, admin, station.id)).toMatchObject([
        { id: stored.id, fileName: 'diag-2026.zip', sizeBytes: 9, requestedBy: admin.email },
      ]);
      const download = await getStationUpload(h.db, admin, station.id, stored.id);
      expect(download.data.toString()).toBe('log lines');
    },
  );

  it('keeps the file name the charger announced when the upload has none', async () => {
    const { token } = await anUploadSlot();
    const stored = await receiveUpload(
      h.db,
      token,
      { name: null, contentType: null, data: Buffer.from('x') },
      now,
    );
    expect(stored).toMatchObject({ fileName: 'announced.zip', contentType: 'application/octet-stream' });
  });

  it('refuses a second upload to the same URL and keeps the first file', async () => {
    const { station, token } = await anUploadSlot();
    const first = await receiveUpload(h.db, token, file('first'), now);
    await expect(receiveUpload(h.db, token, file('second'), now)).rejects.toMatchObject({ kind: 'conflict' });
    const download = await getStationUpload(h.db, admin, station.id, first.id);
    expect(download.data.toString()).toBe('first');
  });

  it('refuses the second of two uploads that arrive at once', async () => {
    const { station, token } = await anUploadSlot();
    const results = await Promise.allSettled([
      receiveUpload(h.db, token, file('one'), now),
      receiveUpload(h.db, token, file('two'), now),
    ]);
    const stored = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected');
    expect(stored).toHaveLength(1);
    expect(refused.map((r) => (r.reason as { kind?: string }).kind)).toEqual(['conflict']);
    // The file kept is the one whose upload was accepted.
    const [accepted] = stored.map((r) => r.value);
    const [row] = await h.db.select().from(stationUploads).where(eq(stationUploads.stationId, station.id));
    expect(row?.data?.toString()).toBe(accepted?.data?.toString());
  });

  it('refuses unknown and malformed tokens as not found', async () => {
    await expect(receiveUpload(h.db, 'A'.repeat(32), file('x'), now)).rejects.toMatchObject({
      kind: 'not_found',
    });
    await expect(receiveUpload(h.db, '../../etc/passwd', file('x'), now)).rejects.toMatchObject({
      kind: 'not_found',
    });
  });

  it('accepts an upload until the URL expires a day after the request, and refuses it after', async () => {
    const day = 24 * 3_600_000;
    const { token } = await anUploadSlot();
    await expect(receiveUpload(h.db, token, file('x'), later(day + 1))).rejects.toMatchObject({
      kind: 'precondition_failed',
    });
    expect((await receiveUpload(h.db, token, file('x'), later(day))).uploadedAt).toEqual(later(day));
  });

  it('refuses a file larger than the limit', async () => {
    const { token } = await anUploadSlot();
    const big = { name: 'big.bin', contentType: null, data: Buffer.alloc(maxUploadBytes + 1) };
    await expect(receiveUpload(h.db, token, big, now)).rejects.toMatchObject({ kind: 'validation' });
  });
});

describe('who sees uploaded files', () => {
  it('a manager of another site does not find the station’s files; a technician is refused', async () => {
    const { station, token } = await anUploadSlot();
    const stored = await receiveUpload(h.db, token, file('x'), now);
    const otherSite = await aSite(h.db, h.scope.organisationId);
    const outsider = await aUser(h.db, h.scope.organisationId, { role: 'manager', siteIds: [otherSite.id] });
    await expect(listStationUploads(h.db, outsider, station.id)).rejects.toMatchObject({ kind: 'not_found' });
    await expect(getStationUpload(h.db, outsider, station.id, stored.id)).rejects.toMatchObject({
      kind: 'not_found',
    });
    const technician = await aUser(h.db, h.scope.organisationId, {
      role: 'technician',
      siteIds: [h.scope.siteId],
    });
    await expect(listStationUploads(h.db, technician, station.id)).rejects.toMatchObject({
      kind: 'forbidden',
    });
    const manager = await aUser(h.db, h.scope.organisationId, { role: 'manager', siteIds: [h.scope.siteId] });
    expect((await getStationUpload(h.db, manager, station.id, stored.id)).data.toString()).toBe('x');
  });

  it('a file of one station is not found through another', async () => {
    const a = await anUploadSlot();
    const b = await anUploadSlot();
    const stored = await receiveUpload(h.db, a.token, file('x'), now);
    await expect(getStationUpload(h.db, admin, b.station.id, stored.id)).rejects.toMatchObject({
      kind: 'not_found',
    });
  });
});
