/** Display helpers for the dashboard (UTC everywhere, so two operators read the same time). */

/** `yyyy-mm-dd hh:mm UTC` of an epoch-ms time, or a dash: said, so no one reads it as local time. */
export function when(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "—";
  return `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** How long ago, roughly ("5m ago"). */
export function ago(ms: number | null | undefined, now = Date.now()): string {
  if (ms === null || ms === undefined) return "never";
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 90) return `${s}s ago`;
  if (s < 5400) return `${Math.round(s / 60)}m ago`;
  if (s < 172_800) return `${Math.round(s / 3600)}h ago`;
  return `${Math.round(s / 86_400)}d ago`;
}

const usd = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 0 });
/** Cents as whole US dollars. */
export function money(cents: number | null | undefined): string {
  return cents === null || cents === undefined ? "—" : usd.format(cents / 100);
}

/** A count with thousands separators. */
export function count(n: number): string {
  return n.toLocaleString("en-US");
}

/** A person's display name. */
export function name(p: { firstName: string | null; lastName: string | null } | null): string {
  if (!p) return "(gone)";
  return [p.firstName, p.lastName].filter(Boolean).join(" ") || "(no name)";
}

/** yyyy-mm-dd of an epoch-ms time, for date inputs. */
export function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** A field value or payload as readable text (JSON indented). */
export function pretty(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value, null, 2);
}
