import { describe, expect, it } from 'vitest';
import {
  booleanEntry,
  decimalEntry,
  defaultSettings,
  field,
  integerEntry,
  measurandsEntry,
  parseMeasurands,
  readonlyEntry,
  stored,
} from './config-store';

describe('configuration entries', () => {
  it('an integer setting validates, stores and applies its effect', () => {
    const settings = defaultSettings(10);
    const applied: string[] = [];
    const entry = integerEntry(
      field(settings, 'heartbeatIntervalS', () => applied.push('heartbeat')),
      { min: 1 },
    );
    expect(entry.get()).toBe('300');
    expect(entry.set('0')).toBe('Rejected');
    expect(entry.set('-5')).toBe('Rejected');
    expect(entry.set('1.5')).toBe('Rejected');
    expect(entry.set('often')).toBe('Rejected');
    expect(applied).toEqual([]);
    expect(entry.set(' 60 ')).toBe('Accepted');
    expect(settings.heartbeatIntervalS).toBe(60);
    expect(applied).toEqual(['heartbeat']);
  });

  it('a reboot-bound setting answers RebootRequired', () => {
    const entry = integerEntry(stored(30), { reboot: true });
    expect(entry.set('60')).toBe('RebootRequired');
    expect(entry.get()).toBe('60');
  });

  it('a decimal setting takes fractions within its range', () => {
    const entry = decimalEntry(stored(10), { max: 100 });
    expect(entry.set('2.5')).toBe('Accepted');
    expect(entry.get()).toBe('2.5');
    expect(entry.set('100.1')).toBe('Rejected');
    expect(entry.set('-1')).toBe('Rejected');
    expect(entry.set('1e2')).toBe('Rejected');
    expect(entry.get()).toBe('2.5');
  });

  it('booleans, measurand lists and read-only values', () => {
    const flag = booleanEntry(stored(false));
    expect(flag.set('TRUE')).toBe('Accepted');
    expect(flag.get()).toBe('true');
    expect(flag.set('yes')).toBe('Rejected');
    const list = measurandsEntry(stored(['Energy.Active.Import.Register']), 2);
    expect(list.set('SoC, Voltage')).toBe('Accepted');
    expect(list.get()).toBe('SoC,Voltage');
    expect(list.set('SoC,Voltage,Current.Import')).toBe('Rejected');
    expect(list.set('')).toBe('Accepted');
    expect(list.get()).toBe('');
    expect(readonlyEntry(() => '2').set('3')).toBe('Rejected');
  });

  it.each([
    ['Energy.Active.Import.Register,SoC', ['Energy.Active.Import.Register', 'SoC']],
    ['SoC,SoC', undefined],
    ['Temperature', undefined],
  ])('parseMeasurands(%s)', (text, list) => {
    expect(parseMeasurands(text, 7)).toEqual(list);
  });
});
