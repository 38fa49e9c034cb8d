/** What an upload came to: the server's JSON, or a message to show the technician. */
export type UploadResult = { ok: true; json: unknown } | { ok: false; status: number; error: string };

export interface UploadOptions {
  /** Fraction of the body sent, 0–1, per attempt (a retry starts again from 0). */
  onProgress?: (fraction: number) => void;
  /** Retries after the first attempt, for network errors and 5xx only (default 3). */
  retries?: number;
  /** Aborting rejects the promise with the signal's reason, like fetch; it is never retried. */
  signal?: AbortSignal;
}

/** Status of an attempt that got no HTTP response (offline, DNS, connection reset). */
const NETWORK_ERROR = 0;

/**
 * Whether to try again after attempt number `attempt` (1-based) failed with `status`: network
 * errors and 5xx are often a dead zone or a restarting server, worth another go; a 4xx is our
 * request's fault and would fail the same way again.
 */
export function shouldRetry(status: number, attempt: number, maxRetries: number): boolean {
  if (attempt > maxRetries) return false;
  return status === NETWORK_ERROR || (status >= 500 && status <= 599);
}

/** Wait before retry number `retry` (1-based): 1 s, 2 s, 4 s, ... */
export function retryDelayMs(retry: number): number {
  return 1000 * 2 ** (retry - 1);
}

/**
 * POSTs a form with upload progress, which fetch cannot report. Retries network errors and 5xx
 * with backoff, returns 4xx at once with the server's `{ error }` message. Browser only.
 */
export async function uploadWithProgress(
  url: string,
  body: FormData,
  options: UploadOptions = {},
): Promise<UploadResult> {
  const maxRetries = options.retries ?? 3;
  const { signal } = options;
  for (let attempt = 1; ; attempt++) {
    signal?.throwIfAborted();
    const response = await send(url, body, options);
    if (response.status >= 200 && response.status <= 299) {
      options.onProgress?.(1);
      return { ok: true, json: parseJson(response.text) };
    }
    if (!shouldRetry(response.status, attempt, maxRetries)) {
      return { ok: false, status: response.status, error: errorMessage(response.status, response.text) };
    }
    await sleep(retryDelayMs(attempt), signal);
  }
}

function send(url: string, body: FormData, { onProgress, signal }: UploadOptions) {
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const onAbort = () => xhr.abort();
    const settle = () => signal?.removeEventListener('abort', onAbort);

    xhr.open('POST', url);
    xhr.responseType = 'text';
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress?.(event.loaded / event.total);
    };
    xhr.onload = () => {
      settle();
      resolve({ status: xhr.status, text: xhr.responseText });
    };
    // Both mean no HTTP response arrived; retried like any network error.
    xhr.onerror = xhr.ontimeout = () => {
      settle();
      resolve({ status: NETWORK_ERROR, text: '' });
    };
    xhr.onabort = () => {
      settle();
      reject(abortReason(signal));
    };

    signal?.addEventListener('abort', onAbort, { once: true });
    onProgress?.(0);
    xhr.send(body);
  });
}

function sleep(ms: number, signal: AbortSignal | undefined) {
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function abortReason(signal: AbortSignal | undefined): unknown {
  return signal?.reason ?? new DOMException('The upload was aborted.', 'AbortError');
}

function parseJson(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** The server's `{ error }` when it sent one; otherwise words for the status a proxy may have sent. */
function errorMessage(status: number, text: string): string {
  const json = parseJson(text);
  if (json && typeof json === 'object' && 'error' in json && typeof json.error === 'string' && json.error) {
    return json.error;
  }
  if (status === NETWORK_ERROR) return 'No connection to the server. Check your signal and try again.';
  if (status === 401) return 'Your session has expired. Sign in again.';
  if (status === 403) return 'You are not allowed to upload here.';
  if (status === 413) return 'The file is too large to upload.';
  if (status >= 500) return 'The server could not take the upload. Try again in a few minutes.';
  return `The upload failed (HTTP ${status}).`;
}
