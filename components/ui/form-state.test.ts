import { afterEach, describe, expect, it, vi } from 'vitest';
import { resilient } from './form-state';

afterEach(() => vi.unstubAllGlobals());

describe('resilient', () => {
  const form = new FormData();

  it('passes the action result through', async () => {
    const action = resilient(async () => ({ ok: true as const, data: null, message: 'saved' }));
    expect(await action(null, form)).toEqual({ ok: true, data: null, message: 'saved' });
  });

  it('turns a failed request into an error result instead of throwing', async () => {
    const action = resilient(async () => {
      throw new TypeError('Failed to fetch');
    });
    expect(await action(null, form)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/could not be reached/),
    });
  });

  it('does not send while the browser knows it is offline', async () => {
    vi.stubGlobal('navigator', { onLine: false });
    const sent = vi.fn(async () => ({ ok: true as const, data: null }));
    expect(await resilient(sent)(null, form)).toMatchObject({ ok: false });
    expect(sent).not.toHaveBeenCalled();
  });
});
