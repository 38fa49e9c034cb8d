import { parseCsv } from '@/lib/csv';
import { invalid } from '@/lib/errors';

/**
 * What the CSV imports (tokens, drivers) share: the limits, reading the header against the columns
 * an import knows, one record of trimmed cells per data row, the counts of a preview, and the rule
 * that a file with any error imports nothing.
 */

export const maxImportRows = 5_000;
export const maxImportChars = 1_048_576;

/** One row of a preview: what the import would do with it and every problem found. */
export interface ImportRow {
  /** The spreadsheet row number (the header is 1), which is the file's line unless a field spans lines; 0 is the whole file. */
  line: number;
  /** `skip`: a blank row, or the header or whole file when it carries an error. */
  action: 'create' | 'update' | 'skip';
  errors: string[];
}

export interface ImportPreviewOf<Row extends ImportRow> {
  rows: Row[];
  /** Valid rows that would create a record. */
  creates: number;
  /** Valid rows that would update a record. */
  updates: number;
  /** Rows (the header or file included) with at least one error. */
  errorCount: number;
}

/** A data row's cells by column (trimmed, a formula escape taken off) and the problems of its shape. */
export interface SheetRow<Column extends string> {
  line: number;
  fields: Partial<Record<Column, string>>;
  blank: boolean;
  errors: string[];
}

/** The file read as rows, or refused as a whole at `line` (0: the file, 1: the header). */
export type Sheet<Column extends string> =
  { ok: true; rows: SheetRow<Column>[] } | { ok: false; line: number; errors: string[] };

export interface SheetSpec<Column extends string> {
  columns: readonly Column[];
  /** The column every file must have. */
  required: Column;
  /** Columns an export writes that this import accepts but does not read. */
  ignored?: readonly string[];
}

// toCsv puts an apostrophe before a field a spreadsheet would run as a formula; take it off again,
// or an exported "-spare" label (or "+4711" token) would come back as "'-spare".
const unescapeFormula = (value: string) => (/^'[=+\-@\t\r]/.test(value) ? value.slice(1) : value);

const isBlank = (record: string[]) => record.every((cell) => cell.trim() === '');

/** Reads an import file within the limits and checks its header; cells are keyed by column name. */
export function readSheet<Column extends string>(csvText: string, spec: SheetSpec<Column>): Sheet<Column> {
  if (csvText.length > maxImportChars) {
    return { ok: false, line: 0, errors: ['The file is larger than 1 MB: split it into several files'] };
  }
  const records = parseCsv(csvText);
  const header = records[0]?.map((h) => h.trim().toLowerCase());
  if (!header || header.every((h) => h === '')) {
    return { ok: false, line: 0, errors: ['The file is empty: the first row must name the columns'] };
  }
  const dataCount = records.slice(1).filter((r) => !isBlank(r)).length;
  if (dataCount > maxImportRows) {
    const count = dataCount.toLocaleString('en');
    return {
      ok: false,
      line: 0,
      errors: [`The file has ${count} rows: at most ${maxImportRows.toLocaleString('en')} per import`],
    };
  }

  const known: readonly string[] = [...spec.columns, ...(spec.ignored ?? [])];
  const errors: string[] = [];
  const unknown = header.filter((h) => !known.includes(h));
  if (unknown.length > 0) {
    errors.push(
      `Unknown column${unknown.length === 1 ? '' : 's'} ${unknown.map((u) => `“${u}”`).join(', ')}; expected ${known.join(', ')}`,
    );
  }
  const repeated = header.filter((h, i) => h !== '' && header.indexOf(h) !== i);
  if (repeated.length > 0) errors.push(`Column ${[...new Set(repeated)].join(', ')} appears twice`);
  if (!header.includes(spec.required)) errors.push(`The header must include the ${spec.required} column`);
  if (errors.length > 0) return { ok: false, line: 1, errors };

  const read: readonly string[] = spec.columns;
  const rows = records.slice(1).map((record, index): SheetRow<Column> => {
    const fields: Partial<Record<Column, string>> = {};
    header.forEach((column, i) => {
      const value = record[i];
      if (value !== undefined && read.includes(column))
        fields[column as Column] = unescapeFormula(value.trim());
    });
    const shapeErrors =
      record.length > header.length
        ? [`The row has ${record.length} fields but the header only ${header.length}`]
        : [];
    return { line: index + 2, fields, blank: isBlank(record), errors: shapeErrors };
  });
  return { ok: true, rows };
}

/** The distinct non-blank values of a column, normalised (e.g. to one case), to look them up in one query. */
export function distinctCells<Column extends string>(
  rows: readonly SheetRow<Column>[],
  column: Column,
  normalise: (value: string) => string,
): string[] {
  const values = rows.map((r) => r.fields[column]).filter((v): v is string => !!v);
  return [...new Set(values.map(normalise))];
}

/** The counts of a preview from its rows. */
export function previewOf<Row extends ImportRow>(rows: Row[]): ImportPreviewOf<Row> {
  const valid = rows.filter((r) => r.errors.length === 0);
  return {
    rows,
    creates: valid.filter((r) => r.action === 'create').length,
    updates: valid.filter((r) => r.action === 'update').length,
    errorCount: rows.length - valid.length,
  };
}

/**
 * Refuses the whole file (validation error) when any row has an error or nothing is left to write,
 * so a partly imported file never needs cleaning up. `what` names the rows, e.g. "token rows".
 */
export function assertImportable(preview: ImportPreviewOf<ImportRow>, what: string): void {
  if (preview.errorCount > 0) {
    const rows = preview.errorCount === 1 ? '1 row has errors' : `${preview.errorCount} rows have errors`;
    throw invalid(`Nothing was imported: ${rows}. Fix the file and try again.`);
  }
  if (preview.creates + preview.updates === 0) throw invalid(`Nothing was imported: the file has no ${what}`);
}

/** Runs `work` on consecutive slices of at most `size` items (one multi-row statement each). */
export async function forEachChunk<T>(
  items: readonly T[],
  size: number,
  work: (chunk: T[]) => Promise<void>,
): Promise<void> {
  for (let i = 0; i < items.length; i += size) await work(items.slice(i, i + size));
}
