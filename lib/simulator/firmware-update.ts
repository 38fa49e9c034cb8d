import { firmwareVersionFrom } from './files';
import type { FirmwareStatus } from './protocol';

export interface FirmwareRequest {
  location: string;
  retrieveAt: Date;
  installAt?: Date;
  /** 2.0.1 only. */
  requestId?: number;
}

/** What a firmware update needs from the station. */
export interface FirmwareHost {
  stepMs: number;
  /** False once a newer update replaced this one. */
  current(): boolean;
  /** Resolves after `ms` (never, if the station stops first). */
  wait(ms: number): Promise<void>;
  report(status: FirmwareStatus): Promise<void>;
  /** Refuses new sessions from now on (the installation ends in a reboot). */
  holdSessions(): void;
  sessionsRunning(): boolean;
  /** Takes the new version and reboots. */
  install(version: string): Promise<void>;
}

/**
 * A firmware update as a station runs it (2.0.1 L01/L02, 1.6 §5.19): wait for the retrieve time,
 * "download" (only the location is looked at: its file name is the new version), let running
 * sessions finish, install, report each step, reboot with the new version.
 */
export async function runFirmwareUpdate(host: FirmwareHost, request: FirmwareRequest): Promise<void> {
  const waitUntil = async (at: Date) => {
    while (host.current() && Date.now() < at.getTime()) await host.wait(at.getTime() - Date.now());
  };
  const step = async (status: FirmwareStatus, thenWaitMs = 0) => {
    if (!host.current()) return false;
    await host.report(status);
    if (thenWaitMs) await host.wait(thenWaitMs);
    return host.current();
  };

  if (request.retrieveAt.getTime() > Date.now()) {
    if (!(await step('DownloadScheduled'))) return;
    await waitUntil(request.retrieveAt);
  }
  const version = firmwareVersionFrom(request.location);
  if (!version) {
    await step('DownloadFailed');
    return;
  }
  if (!(await step('Downloading', host.stepMs))) return;
  host.holdSessions();
  if (!(await step('Downloaded', host.stepMs))) return;
  if (request.installAt && request.installAt.getTime() > Date.now()) {
    if (!(await step('InstallScheduled'))) return;
    await waitUntil(request.installAt);
  }
  while (host.current() && host.sessionsRunning()) await host.wait(host.stepMs);
  if (!(await step('Installing', host.stepMs))) return;
  if (!(await step('Installed'))) return;
  await host.install(version);
}
