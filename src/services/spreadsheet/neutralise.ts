/**
 * Spreadsheet formula injection (CSV/formula injection, OWASP): a cell whose text starts with
 * = + - @, a tab or a carriage return may be run as a formula when someone opens or edits the
 * file in a spreadsheet program. Every spreadsheet the platform writes passes each cell
 * through `neutraliseCell`, which prefixes such text with a single quote so it stays text.
 * Numbers, dates and booleans are left alone (a negative number is a number, not a formula).
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function neutraliseCell<T>(value: T): T | string {
  return typeof value === 'string' && FORMULA_START.test(value) ? `'${value}` : value;
}

/** The row with every cell neutralised (a new object; the input is not changed). */
export function neutraliseRow(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[k] = neutraliseCell(v);
  return out;
}
