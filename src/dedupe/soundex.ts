// a e i o u y h w → 0 (h and w do not separate equal codes), the rest by sound group.
const CODES = "01230120022455012623010202";

/** American Soundex of a lower-case a–z string ("robert" → "r163"); "" when it has no letters. */
export function soundex(name: string): string {
  let out = "";
  let last = "";
  for (let i = 0; i < name.length && out.length < 4; i++) {
    const c = name.charCodeAt(i) - 97;
    if (c < 0 || c > 25) continue;
    const code = CODES[c] ?? "0";
    if (out === "") {
      out = name[i] ?? "";
      last = code;
      continue;
    }
    const letter = name[i];
    if (code !== "0" && code !== last) out += code;
    // h and w keep the previous code alive; vowels reset it.
    if (letter !== "h" && letter !== "w") last = code;
  }
  return out === "" ? "" : out.padEnd(4, "0");
}
