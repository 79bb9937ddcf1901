/**
 * "Is this unknown key probably the field we expected, renamed?" — used to tell a renamed
 * field (`status` → `transaction_status`) from a merely new one.
 */
function squash(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, "");
}

function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0] ?? 0;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j] ?? 0;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      prev[j] = Math.min(up + 1, (prev[j - 1] ?? 0) + 1, diag + cost);
      diag = up;
    }
  }
  return prev[b.length] ?? 0;
}

/**
 * True when `seen` looks like a variant of `expected`: same letters ignoring case and
 * separators (`zipCode`/`zip_code`), one containing the other (`status`/`transaction_status`),
 * or a small edit distance on keys long enough for it to mean something.
 */
export function isSimilarKey(expected: string, seen: string): boolean {
  const a = squash(expected);
  const b = squash(seen);
  if (a === "" || b === "") return false;
  if (a === b) return true;
  const shorter = a.length <= b.length ? a : b;
  const longer = a.length <= b.length ? b : a;
  if (shorter.length >= 4 && (longer.startsWith(shorter) || longer.endsWith(shorter))) return true;
  return shorter.length >= 5 && distance(a, b) <= Math.max(1, Math.floor(shorter.length / 5));
}
