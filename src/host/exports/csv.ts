/**
 * RFC 4180 CSV: fields quoted when they hold a comma, quote or line break; CRLF between records. A cell that
 * a spreadsheet would run as a formula (= + - @ at the start) gets a leading apostrophe: chat text is written
 * by strangers, and an export opened in a spreadsheet must not execute it.
 */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const line = (cells: readonly unknown[]) => cells.map((cell) => csvCell(cell as string)).join(',');
  // A UTF-8 byte order mark: spreadsheet programs then read accented names correctly.
  return `\uFEFF${[line(header), ...rows.map(line)].join('\r\n')}\r\n`;
}
