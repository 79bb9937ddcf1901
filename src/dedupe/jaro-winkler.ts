// Scratch flags reused across calls: allocating two arrays per comparison made GC the hot spot.
let sMatch = new Uint8Array(64);
let tMatch = new Uint8Array(64);

/**
 * Jaro-Winkler similarity in [0,1] (Winkler 1990): Jaro's matching-window agreement, boosted by
 * a common prefix of up to 4 characters, which suits names (typos tend to come late).
 */
export function jaroWinkler(s: string, t: string): number {
  if (s === t) return s.length === 0 ? 0 : 1;
  const sl = s.length;
  const tl = t.length;
  if (sl === 0 || tl === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(sl, tl) / 2) - 1);
  if (sl > sMatch.length) sMatch = new Uint8Array(sl * 2);
  if (tl > tMatch.length) tMatch = new Uint8Array(tl * 2);
  sMatch.fill(0, 0, sl);
  tMatch.fill(0, 0, tl);
  let matches = 0;
  for (let i = 0; i < sl; i++) {
    const lo = Math.max(0, i - window);
    const hi = Math.min(tl - 1, i + window);
    for (let j = lo; j <= hi; j++) {
      if (tMatch[j] === 0 && s.charCodeAt(i) === t.charCodeAt(j)) {
        sMatch[i] = 1;
        tMatch[j] = 1;
        matches++;
        break;
      }
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  let k = 0;
  for (let i = 0; i < sl; i++) {
    if (sMatch[i] === 0) continue;
    while (tMatch[k] === 0) k++;
    if (s.charCodeAt(i) !== t.charCodeAt(k)) transpositions++;
    k++;
  }
  const jaro = (matches / sl + matches / tl + (matches - transpositions / 2) / matches) / 3;
  let prefix = 0;
  const maxPrefix = Math.min(4, sl, tl);
  while (prefix < maxPrefix && s.charCodeAt(prefix) === t.charCodeAt(prefix)) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}
