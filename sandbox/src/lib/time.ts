/** Date formats the vendors use. */

/** ISO 8601 UTC without milliseconds: `2012-04-23T02:23:11Z` (Follow Up Boss, Dotloop). */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** `2016-12-12T15:19:21+00:00`, the offset form of FUB webhook `eventCreated` and QBO times. */
export function isoOffset(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "+00:00");
}

/** SkySlope's naive timestamps: `2020-10-13T18:38:42.967` (no zone). */
export function isoNaive(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, "");
}

/** `YYYY-MM-DD`. */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Parses an ISO date/time or epoch milliseconds; undefined when unreadable. */
export function parseTime(v: string | null | undefined): number | undefined {
  if (v === null || v === undefined || v.trim() === "") return undefined;
  if (/^\d{10,}$/.test(v.trim())) return Number(v);
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : t;
}
