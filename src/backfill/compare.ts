/**
 * What the backfill compares, as pure functions: when two systems disagree about a field, and how
 * a person's contact lists combine. No bindings.
 */
import type { PostalAddress } from "../canonical";
import type { GoldenFields, Provenance } from "../flows/golden";

/** One field two systems disagree on, with both values and where each came from. */
export interface FieldConflict {
  field: string;
  golden: Provenance;
  incoming: Provenance;
}

/** A comparable key of an address: number, street, suffix, unit and ZIP (USPS form already). */
export function addressKey(a: PostalAddress | undefined | null): string | null {
  if (!a?.number || !a.street) return null;
  return [a.number, a.predirectional, a.street, a.suffix, a.postdirectional, a.unitId, a.zip].map((p) => (p ?? "").toLowerCase()).join("|");
}

function sameValue(field: string, a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    // Contact lists agree while they share a value: a second email is not a conflict.
    const set = new Set(a.map((x) => String(x).toLowerCase()));
    return b.some((x) => set.has(String(x).toLowerCase()));
  }
  if (field === "address") return addressKey(a as PostalAddress) === addressKey(b as PostalAddress);
  if (typeof a === "string" && typeof b === "string") return a.trim().toLowerCase() === b.trim().toLowerCase();
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Fields where `incoming` (from `system`) disagrees with what another system gave the golden
 * record. A field only this system has written, or one it agrees with, is no conflict.
 */
export function conflictsOf(current: GoldenFields, incoming: Record<string, unknown>, system: string, at: string): FieldConflict[] {
  const out: FieldConflict[] = [];
  for (const [field, value] of Object.entries(incoming)) {
    if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) continue;
    const existing = current[field];
    if (!existing || existing.system === system) continue;
    if (sameValue(field, existing.value, value)) continue;
    out.push({ field, golden: existing, incoming: { value, system, at } });
  }
  return out;
}

/** A contact list as the golden record keeps it: what it had, then what the system adds. */
export function unionList(current: unknown, incoming: string[]): string[] {
  const had = Array.isArray(current) ? current.map(String) : [];
  return [...new Set([...had, ...incoming])];
}

/**
 * Which of a client's open deals a transaction belongs to: the only one, unless its address or
 * price says it is another property; else the one whose address (or, failing that, price)
 * matches. Null when none or more than one does.
 */
export function pickDeal<T extends { id: string; address?: PostalAddress | undefined; priceCents?: number | null | undefined }>(
  candidates: T[],
  tx: { address?: PostalAddress | undefined; priceCents?: number | undefined },
): T | null {
  const key = addressKey(tx.address);
  const [only] = candidates;
  if (candidates.length === 1 && only) {
    const at = addressKey(only.address);
    const a = only.priceCents;
    const b = tx.priceCents;
    // Asking and contract prices differ, but not by a quarter: a client buying and selling has two deals.
    const apart = (key && at && at !== key) || (a != null && b !== undefined && Math.abs(a - b) > Math.max(a, b) / 4);
    return apart ? null : only;
  }
  const byAddress = key ? candidates.filter((c) => addressKey(c.address) === key) : [];
  if (byAddress.length === 1) return byAddress[0] ?? null;
  const byPrice =
    tx.priceCents !== undefined ? (byAddress.length ? byAddress : candidates).filter((c) => c.priceCents === tx.priceCents) : [];
  return byPrice.length === 1 ? (byPrice[0] ?? null) : null;
}
