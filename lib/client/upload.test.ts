import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { retryDelayMs, shouldRetry, uploadWithProgress } from './upload';

describe('shouldRetry', () => {
  it.each([
    // status, attempt, max retries, retry?
    [0, 1, 3, true], // network error
    [500, 1, 3, true],
    [502, 2, 3, true],
    [503, 3, 3, true], // the third retry is still allowed
    [503, 4, 3, false], // ... but not a fourth
    [0, 1, 0, false], // retries: 0 means one attempt only
    [400, 1, 3, false],
    [401, 1, 3, false],
    [404, 1, 3, false],
    [413, 1, 3, false],
    [422, 1, 3, false],
    [429, 1, 3, false], // 4xx is never retried, as the caller's contract says
    [302, 1, 3, false],
  ])('status %i after attempt %i of max %i retries: %s', (status, attempt, max, expected) => {
    expect(shouldRetry(status, attempt, max)).toBe(expected);
  });
});

describe('retryDelayMs', () => {
  it('backs off 1 s, 2 s, 4 s', () => {
    expect([1, 2, 3].map(retryDelayMs)).toEqual([1000, 2000, 4000]);
  });
});

/** Plays back one scripted response per request: a status and body, 'network' or 'hang'. */
class FakeXhr {
  static script: (readonly [number, string] | 'network' | 'hang')[] = [];
  static sent = 0;
  status = 0;
  responseText = '';
  responseType = '';
  upload: {
    onprogress: ((event: { lengthComputable: boolean; loaded: number; total: number }) => void) | null;
  } = {
    onprogress: null,
  };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  ontimeout: (() => void) | null = null;
  onabort: (() => void) | null = null;
  open() {}
  setRequestHeader() {}
  abort() {
    this.onabort?.();
  }
  send() {
    const step = FakeXhr.script[FakeXhr.sent++];
    if (!step) throw new Error('unexpected request');
    if (step === 'hang') return;
    queueMicrotask(() => {
      this.upload.onprogress?.({ lengthComputable: true, loaded: 50, total: 100 });
      if (step === 'network') return this.onerror?.();
      [this.status, this.responseText] = step;
      this.onload?.();
    });
  }
}

describe('uploadWithProgress', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.stubGlobal('XMLHttpRequest', FakeXhr);
    FakeXhr.sent = 0;
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  const form = () => new FormData();

  it('returns the JSON of a successful upload and reports progress', async () => {
    FakeXhr.script = [[201, '{"id":"p1"}']];
    const progress: number[] = [];

    const result = await uploadWithProgress('/api/photos', form(), { onProgress: (f) => progress.push(f) });

    expect(result).toEqual({ ok: true, json: { id: 'p1' } });
    expect(progress).toEqual([0, 0.5, 1]);
  });

  it('retries network errors and 5xx after 1 s and 2 s', async () => {
    FakeXhr.script = ['network', [503, ''], [200, '{}']];

    const upload = uploadWithProgress('/api/photos', form());
    await vi.advanceTimersByTimeAsync(999);
    expect(FakeXhr.sent).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeXhr.sent).toBe(2);
    await vi.advanceTimersByTimeAsync(1999);
    expect(FakeXhr.sent).toBe(2);
    await vi.advanceTimersByTimeAsync(1);

    await expect(upload).resolves.toEqual({ ok: true, json: {} });
    expect(FakeXhr.sent).toBe(3);
  });

  it('gives up after the last retry with a message', async () => {
    FakeXhr.script = ['network', 'network', 'network', 'network'];

    const upload = uploadWithProgress('/api/photos', form());
    await vi.advanceTimersByTimeAsync(1000 + 2000 + 4000);

    await expect(upload).resolves.toEqual({
      ok: false,
      status: 0,
      error: expect.stringMatching(/No connection/),
    });
    expect(FakeXhr.sent).toBe(4);
  });

  it("returns a 4xx at once with the server's error", async () => {
    FakeXhr.script = [[422, '{"error":"The photo is larger than 25 MB."}']];

    const result = await uploadWithProgress('/api/photos', form());

    expect(result).toEqual({ ok: false, status: 422, error: 'The photo is larger than 25 MB.' });
    expect(FakeXhr.sent).toBe(1);
  });

  it('explains a 4xx without a JSON body', async () => {
    FakeXhr.script = [[413, '<html>Request Entity Too Large</html>']];

    await expect(uploadWithProgress('/api/photos', form())).resolves.toEqual({
      ok: false,
      status: 413,
      error: 'The file is too large to upload.',
    });
  });

  it('rejects with the abort reason when aborted mid-request or during the backoff', async () => {
    FakeXhr.script = ['hang'];
    const during = new AbortController();
    const first = uploadWithProgress('/api/photos', form(), { signal: during.signal });
    during.abort();
    await expect(first).rejects.toMatchObject({ name: 'AbortError' });

    FakeXhr.sent = 0;
    FakeXhr.script = [[500, '']];
    const backoff = new AbortController();
    const second = uploadWithProgress('/api/photos', form(), { signal: backoff.signal });
    const settled = expect(second).rejects.toMatchObject({ name: 'AbortError' });
    await vi.advanceTimersByTimeAsync(500);
    backoff.abort();
    await settled;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(FakeXhr.sent).toBe(1);
  });
});
