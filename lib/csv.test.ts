import { describe, expect, it } from 'vitest';
import { toCsv } from './csv';

describe('toCsv', () => {
  it('quotes only what needs it and ends rows with CRLF', () => {
    expect(toCsv([['a', 'b,c', 'say "hi"', null, 3], ['line\nbreak']])).toBe(
      'a,"b,c","say ""hi""",,3\r\n"line\nbreak"\r\n',
    );
  });

  it('defuses spreadsheet formulas', () => {
    expect(toCsv([['=1+1', '+SUM(A1)', '-2', '@x', 'ok']])).toBe("'=1+1,'+SUM(A1),'-2,'@x,ok\r\n");
  });
});
