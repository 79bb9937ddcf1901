import { fail, ok, type Norm } from "./result";

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const TIME = String.raw`(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(AM|PM)?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?)?`;
const ISO = new RegExp(String.raw`^(\d{4})[-/](\d{1,2})[-/](\d{1,2})${TIME}$`, "i");
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const US = new RegExp(String.raw`^(\d{1,2})[/-](\d{1,2})[/-](\d{4}|\d{2})${TIME}$`, "i");
const MONTH_FIRST = new RegExp(String.raw`^([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})${TIME}$`, "i");
const DAY_FIRST = new RegExp(String.raw`^(\d{1,2})(?:st|nd|rd|th)?[\s-]+([a-z]{3,9})\.?,?[\s-]+(\d{4})${TIME}$`, "i");

type Parts = [y: number, mo: number, d: number, time: RegExpExecArray, timeAt: number];

/**
 * Parses a date into ISO 8601. Date-only input gives "YYYY-MM-DD": "11/01/2017" (US
 * month/day/year; two-digit years 00–49 are 20xx, 50–99 19xx), "March 05, 2017", "5 Mar 2017",
 * "2017-03-05", "20170305". Input with a time, and numbers (epoch milliseconds), give a UTC
 * instant "2017-03-05T12:00:00.000Z"; a time without a zone is taken as UTC. Impossible dates
 * ("02/30/2020") and years outside 1800–2200 fail with `date_invalid`.
 */
export function parseDate(raw: string | number): Norm<string> {
  if (typeof raw === "number") return instant(raw);
  if (typeof raw !== "string" || raw.trim() === "") return fail("date_empty", "date is empty");
  const s = raw
    .trim()
    .replace(/^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+/i, "")
    .replace(/\s+/g, " ");
  if (/^\d{12,13}$/.test(s)) return instant(Number(s));
  const parts = match(s);
  if (parts === undefined) return fail("date_invalid", `not a date: ${raw}`);
  const [y, mo, d, m, at] = parts;
  if (y < 1800 || y > 2200 || mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo)) return fail("date_invalid", `impossible date: ${raw}`);
  if (m[at] === undefined) return ok(`${y}-${pad(mo)}-${pad(d)}`);
  let h = Number(m[at]);
  const min = Number(m[at + 1]);
  const sec = Number(m[at + 2] ?? 0);
  const ms = Math.round(Number(`0.${m[at + 3] ?? 0}`) * 1000);
  const ampm = m[at + 4]?.toUpperCase();
  if (ampm !== undefined && (h < 1 || h > 12)) return fail("date_invalid", `impossible time: ${raw}`);
  if (ampm === "PM" && h < 12) h += 12;
  if (ampm === "AM" && h === 12) h = 0;
  if (h > 23 || min > 59 || sec > 59) return fail("date_invalid", `impossible time: ${raw}`);
  return instant(Date.UTC(y, mo - 1, d, h, min, sec, ms) - offsetMs(m[at + 5]));
}

function match(s: string): Parts | undefined {
  let m = ISO.exec(s);
  if (m) return [Number(m[1]), Number(m[2]), Number(m[3]), m, 4];
  m = COMPACT.exec(s);
  if (m) return [Number(m[1]), Number(m[2]), Number(m[3]), m, 4];
  m = US.exec(s);
  if (m) {
    const yy = Number(m[3]);
    const y = (m[3] ?? "").length === 2 ? (yy < 50 ? 2000 + yy : 1900 + yy) : yy;
    return [y, Number(m[1]), Number(m[2]), m, 4];
  }
  m = MONTH_FIRST.exec(s);
  if (m) return [Number(m[3]), month(m[1]), Number(m[2]), m, 4];
  m = DAY_FIRST.exec(s);
  if (m) return [Number(m[3]), month(m[2]), Number(m[1]), m, 4];
  return undefined;
}

function month(name: string | undefined): number {
  const n = (name ?? "").toLowerCase();
  const i = MONTHS.findIndex(
    (p) =>
      n.startsWith(p) &&
      (n.length === 3 ||
        "january february march april may june july august september october november december sept".split(" ").includes(n)),
  );
  return i + 1;
}

function offsetMs(zone: string | undefined): number {
  const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone ?? "");
  if (!z) return 0;
  return (z[1] === "-" ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3])) * 60_000;
}

function instant(ms: number): Norm<string> {
  if (!Number.isFinite(ms)) return fail("date_invalid", "not a finite timestamp");
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  if (Number.isNaN(d.getTime()) || y < 1800 || y > 2200) return fail("date_invalid", "timestamp out of range");
  return ok(d.toISOString());
}

function daysIn(y: number, mo: number): number {
  return new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

const pad = (n: number): string => String(n).padStart(2, "0");
