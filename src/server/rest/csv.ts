/**
 * CSV (RFC 4180) for exports opened in spreadsheets: every cell quoted, quotes doubled, and a cell that a
 * spreadsheet would run as a formula (=, +, -, @, tab, CR) prefixed with a quote mark — log reasons are typed
 * by moderators and target names by anyone.
 */
export function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replaceAll('"', '""')}"`;
}

export function toCsv(header: readonly string[], records: readonly (readonly unknown[])[]): string {
  const lines = [header, ...records].map((record) => record.map(csvCell).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
