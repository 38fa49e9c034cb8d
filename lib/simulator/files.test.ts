import { describe, expect, it } from 'vitest';
import { ActivityLog, firmwareVersionFrom, logFileName } from './files';

describe('firmwareVersionFrom', () => {
  it.each([
    ['https://fw.example/sim/sim-2.0.bin', 'sim-2.0'],
    ['http://fw.example/releases/ABC_1.4.2.tar.gz', 'ABC_1.4.2'],
    ['ftp://fw.example/pub/sim-2.0', 'sim-2.0'],
    ['ftps://fw.example/pub/fw%20v3.img', 'fw v3'],
    ['https://fw.example/', undefined],
    ['file:///tmp/sim-2.0.bin', undefined],
    ['mailto:fw@example.com', undefined],
    ['not a url', undefined],
  ])('%s → %s', (location, version) => {
    expect(firmwareVersionFrom(location)).toBe(version);
  });
});

describe('ActivityLog', () => {
  it('keeps the newest entries, cut short, and renders a period or the security events only', () => {
    const log = new ActivityLog(3, 10);
    const t = Date.parse('2025-05-01T10:00:00Z');
    log.add('boot', true, t);
    log.add('frame one', false, t + 1000);
    log.add('a frame longer than ten', false, t + 2000);
    log.add('reset', true, t + 3000);
    expect(log.render(['header'])).toBe(
      [
        'header',
        '',
        '2025-05-01T10:00:01.000Z frame one',
        '2025-05-01T10:00:02.000Z a frame lo…',
        '2025-05-01T10:00:03.000Z reset',
        '',
      ].join('\n'),
    );
    expect(log.render([], { securityOnly: true })).toContain('10:00:03.000Z reset');
    expect(log.render([], { securityOnly: true })).not.toContain('frame');
    expect(log.render([], { from: new Date(t + 2500), to: new Date(t + 2600) })).toContain('(no entries');
  });
});

describe('logFileName', () => {
  it('names the station, the kind and the UTC time, in characters safe for a file name', () => {
    expect(logFileName('CP/01 A', 'diagnostics', new Date('2025-05-01T10:20:30.456Z'))).toBe(
      'CP_01_A-diagnostics-20250501T102030Z.log',
    );
  });
});
