/**
 * Writes rows as CSV (RFC 4180: comma-separated, CRLF, fields quoted when they hold a comma, quote
 * or line break). A field that a spreadsheet would run as a formula (= + - @) gets a leading
 * apostrophe, so an exported token list cannot carry one.
 */
export function toCsv(rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  const field = (value: string | number | null | undefined): string => {
    let text = value === null || value === undefined ? '' : String(value);
    if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return rows.map((row) => row.map(field).join(',')).join('\r\n') + '\r\n';
}

/**
 * Reads CSV (RFC 4180): fields in double quotes may hold commas, line breaks and `""` for a quote;
 * rows end with CRLF or LF. A UTF-8 byte order mark at the start and the empty line after the last
 * row are ignored. Quotes inside an unquoted field are taken literally, as spreadsheets do.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endRow = () => {
    row.push(field);
    rows.push(row);
    row = [];
    field = '';
  };
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        field += c;
      }
      i++;
      continue;
    }
    if (c === '"' && field === '') {
      quoted = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || (c === '\r' && text[i + 1] === '\n')) {
      if (c === '\r') i++;
      endRow();
    } else {
      field += c;
    }
    i++;
  }
  // The last row has no line break after it, or the file ends in one (then nothing is pending).
  if (field !== '' || row.length > 0 || quoted) endRow();
  return rows;
}
