import { describe, expect, it } from 'vitest';
import { parseCsv, toCsv } from './csv';

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

describe('parseCsv', () => {
  it('reads quoted fields with escaped quotes, commas and line breaks', () => {
    expect(parseCsv('a,"b,c","say ""hi""",,3\r\n"line\nbreak",x\r\n')).toEqual([
      ['a', 'b,c', 'say "hi"', '', '3'],
      ['line\nbreak', 'x'],
    ]);
  });

  it('accepts LF or CRLF and a last row without a line break', () => {
    expect(parseCsv('a,b\nc,d')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    expect(parseCsv('a,b\r\nc,d\r\n')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
  });

  it('ignores a byte order mark and keeps empty fields and empty rows in the middle', () => {
    expect(parseCsv('\uFEFFid_token,label\n,\n\nx,\n')).toEqual([
      ['id_token', 'label'],
      ['', ''],
      [''],
      ['x', ''],
    ]);
  });

  it('reads an empty quoted field and a lone CR inside a field', () => {
    expect(parseCsv('"",a\rb\n')).toEqual([['', 'a\rb']]);
    expect(parseCsv('')).toEqual([]);
  });

  it('reads back what toCsv writes', () => {
    const rows = [
      ['id_token', 'label'],
      ['04A1', 'Line\r\nbreak, "quoted"'],
      ['', ''],
    ];
    expect(parseCsv(toCsv(rows))).toEqual(rows);
  });
});
