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
