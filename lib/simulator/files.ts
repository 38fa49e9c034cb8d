/**
 * The simulated station's file transfers: the firmware it "downloads" (only the URL is looked at)
 * and the log it really uploads (HTTP POST, multipart/form-data, field "file").
 */

const firmwareProtocols = new Set(['http:', 'https:', 'ftp:', 'ftps:']);

/**
 * The firmware version a location stands for: its file name without the extension
 * (`https://fw.example/sim-2.0.bin` → `sim-2.0`). Undefined when the location is not a URL the
 * station could download from, or names no file: the update then fails as DownloadFailed.
 */
export function firmwareVersionFrom(location: string): string | undefined {
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    return undefined;
  }
  if (!firmwareProtocols.has(url.protocol) || !url.hostname) return undefined;
  const last = url.pathname.split('/').pop() ?? '';
  let name: string;
  try {
    name = decodeURIComponent(last);
  } catch {
    return undefined;
  }
  // Strip an extension made of letters (".bin", ".tar.gz"), not the ".0" of "sim-2.0".
  const version = name.replace(/(\.tar)?\.[a-z][a-z0-9]*$/i, '');
  return version ? version.slice(0, 50) : undefined;
}

export interface LogEntry {
  /** Epoch ms (a number: a fleet of thousands of stations keeps these). */
  at: number;
  /** Security events (connections, boots, resets, firmware) also go to the 2.0.1 SecurityLog. */
  security: boolean;
  text: string;
}

/**
 * The station's recent activity (frames in and out, lifecycle events), newest last. Bounded, and
 * long frames cut short: `npm run sim` may run thousands of stations in one process.
 */
export class ActivityLog {
  private readonly entries: LogEntry[] = [];

  constructor(
    private readonly capacity = 200,
    private readonly maxLength = 240,
  ) {}

  add(text: string, security = false, at = Date.now()): void {
    const line = text.length > this.maxLength ? `${text.slice(0, this.maxLength)}…` : text;
    this.entries.push({ at, security, text: line });
    if (this.entries.length > this.capacity) this.entries.shift();
  }

  /** Plain text, one entry a line, within [from, to] when given. */
  render(header: string[], { from, to, securityOnly = false }: RenderOptions = {}): string {
    const lines = this.entries
      .filter(
        (e) =>
          (!from || e.at >= from.getTime()) && (!to || e.at <= to.getTime()) && (!securityOnly || e.security),
      )
      .map((e) => `${new Date(e.at).toISOString()} ${e.text}`);
    return [...header, '', ...(lines.length ? lines : ['(no entries in the requested period)']), ''].join(
      '\n',
    );
  }
}

export interface RenderOptions {
  from?: Date;
  to?: Date;
  securityOnly?: boolean;
}

/** A log file name: `<identity>-<kind>-<UTC timestamp>.log`. */
export function logFileName(identity: string, kind: string, now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${identity}-${kind}-${stamp}.log`.replace(/[^\w.-]/g, '_').slice(0, 255);
}

export interface UploadOptions {
  /** Further attempts after a failed one. */
  retries?: number;
  retryIntervalMs?: number;
  /** Waits between attempts (the station's cancellable timer). */
  wait: (ms: number) => Promise<void>;
  timeoutMs?: number;
}

/**
 * Uploads a text file to an HTTP(S) location as multipart/form-data (field "file"), retrying as
 * asked. True when the server answered 2xx. Other schemes (FTP is common in 1.6) fail: the
 * simulator only speaks HTTP.
 */
export async function uploadFile(
  location: string,
  fileName: string,
  content: string,
  { retries = 0, retryIntervalMs = 0, wait, timeoutMs = 30_000 }: UploadOptions,
): Promise<boolean> {
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  for (let attempt = 0; attempt <= retries; attempt++) {
    if (attempt > 0) await wait(retryIntervalMs);
    const form = new FormData();
    form.append('file', new Blob([content], { type: 'text/plain' }), fileName);
    try {
      const response = await fetch(url, {
        method: 'POST',
        body: form,
        signal: AbortSignal.timeout(timeoutMs),
      });
      await response.body?.cancel();
      if (response.ok) return true;
    } catch {
      // Unreachable or timed out: counts as a failed attempt.
    }
  }
  return false;
}
