import { fail, ok, type Norm } from "./result";

const GROUPED = /^(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d+))?$/;
const SCALE: Readonly<Record<string, number>> = { "": 0, K: 3, M: 6, MM: 6 };

/**
 * Parses a US dollar amount into integer cents: "$450,000" → 45000000, "1,234.56" → 123456,
 * "$1.2M" → 120000000, "450K" → 45000000; a number is dollars (450000 → 45000000).
 * Refused with `money_invalid`: anything else (wrong digit grouping, "1.234,56", fractions of a
 * cent, words), and negative amounts ("-5", "(5.00)") unless `allowNegative` (refunds).
 */
export function parseMoney(raw: string | number, options: { allowNegative?: boolean } = {}): Norm<number> {
  let cents: number | undefined;
  let negative = false;
  if (typeof raw === "number") {
    if (!Number.isFinite(raw)) return fail("money_invalid", "not a finite number");
    negative = raw < 0;
    const c = Math.round(Math.abs(raw) * 100);
    // 0.1 + 0.2 style noise is fine; a real fraction of a cent is not an amount of money.
    if (Math.abs(Math.abs(raw) * 100 - c) > 1e-6 * Math.max(1, c)) return fail("money_invalid", "fraction of a cent");
    cents = c;
  } else if (typeof raw === "string") {
    if (/\d\s+[\d.,]/.test(raw)) return fail("money_invalid", `digits split by a space: ${raw}`);
    let s = raw.trim().toUpperCase().replace(/\s+/g, "");
    if (s === "") return fail("money_invalid", "amount is empty");
    const paren = /^\((.*)\)$/.exec(s);
    if (paren?.[1] !== undefined) [negative, s] = [true, paren[1]];
    if (s.startsWith("-")) [negative, s] = [true, s.slice(1)];
    s = s.replace(/^(?:USD|US\$|\$)|(?:USD|\$)$/g, "");
    if (s.startsWith("-") && !negative) [negative, s] = [true, s.slice(1)];
    const unit = /(K|MM|M)$/.exec(s)?.[1] ?? "";
    s = s.slice(0, s.length - unit.length);
    const m = GROUPED.exec(s);
    if (!m || (m[1] === undefined && m[2] === undefined)) return fail("money_invalid", `not an amount: ${raw}`);
    cents = toCents((m[1] ?? "0").replace(/,/g, ""), m[2] ?? "", SCALE[unit] ?? 0);
    if (cents === undefined) return fail("money_invalid", "fraction of a cent");
  } else {
    return fail("money_invalid", "not a string or number");
  }
  if (!Number.isSafeInteger(cents)) return fail("money_invalid", "amount too large");
  if (negative && cents !== 0 && !options.allowNegative) return fail("money_invalid", "negative amount");
  return ok(negative && cents !== 0 ? -cents : cents);
}

/** A number as US text writes it: a sign, commas only between groups of three ("2,5" is no number). */
export function usNumber(text: string): number | undefined {
  const m = GROUPED.exec(text.replace(/^[-+]/, ""));
  return m && (m[1] ?? m[2]) !== undefined ? Number(text.replace(/,/g, "")) : undefined;
}

/** Decimal digits × 10^scale dollars → cents, exactly (no float rounding); undefined below a cent. */
function toCents(whole: string, frac: string, scale: number): number | undefined {
  const shift = 2 + scale - frac.length;
  const digits = `${whole}${frac}`.replace(/^0+(?=\d)/, "");
  if (shift >= 0) return Number(digits + "0".repeat(shift));
  const cut = digits.length + shift;
  if (!/^0*$/.test(digits.slice(Math.max(cut, 0)))) return undefined;
  return cut <= 0 ? 0 : Number(digits.slice(0, cut));
}
