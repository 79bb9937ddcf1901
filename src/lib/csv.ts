/**
 * One cell of a CSV export. Values come from vendors and from whoever filled in a lead form, and a
 * spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return before
 * one) as a formula: such a value starts with a quote mark, which makes it text (OWASP's advice
 * for CSV injection). A cell holding a comma, a quote or a line break is quoted.
 */
export function csvCell(value: string): string {
  const s = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}
