/**
 * Plain-text tables and a progress bar for the operator CLI. Cells are cut at 48 characters, but
 * with `fullLast` the last column is printed whole (advice that must not be cut off).
 */
export function table(headers: string[], rows: string[][], opts: { fullLast?: boolean } = {}): string {
  if (rows.length === 0) return "(none)";
  const cap = (i: number) => (opts.fullLast && i === headers.length - 1 ? Infinity : 48);
  const widths = headers.map((h, i) => Math.min(cap(i), Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => {
        const w = widths[i] ?? 0;
        return c.length > w ? `${c.slice(0, w - 1)}…` : c.padEnd(w);
      })
      .join("  ")
      .trimEnd();
  return [line(headers), line(widths.map((w) => "-".repeat(Math.min(w, 48)))), ...rows.map(line)].join("\n");
}

export function bar(done: number, total: number, width = 30): string {
  const share = total > 0 ? Math.min(1, Math.max(0, done / total)) : 1;
  const filled = Math.round(share * width);
  return `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${String(Math.round(share * 100)).padStart(3)}%`;
}
