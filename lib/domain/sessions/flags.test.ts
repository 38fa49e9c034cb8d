import { describe, expect, it } from 'vitest';
import { describeSessionFlag, tokenRefusedFlag } from './flags';

describe('describeSessionFlag', () => {
  it('names the refused token with the decision and the reason it was stored with', () => {
    const flag = tokenRefusedFlag('Blocked', 'Lost card (reported 3 May)');
    expect(flag).toBe('token-refused: Blocked (Lost card (reported 3 May))');
    expect(describeSessionFlag(flag)).toEqual({
      kind: 'token-refused',
      text: expect.stringContaining('refused when the session started (Blocked: Lost card (reported 3 May))'),
    });
  });

  it('describes the offline anomalies of the transaction paths', () => {
    expect(describeSessionFlag('stop-without-start').text).toMatch(/never saw start/);
    expect(describeSessionFlag('first-event-not-started').text).toMatch(/not its start/);
  });

  it('shows a flag it does not know as stored', () => {
    expect(describeSessionFlag('meter-went-backwards')).toEqual({
      kind: 'other',
      text: 'meter-went-backwards',
    });
  });
});
