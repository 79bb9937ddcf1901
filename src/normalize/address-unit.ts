import { unitId } from "./address-parts";
import { isDirectional, isUnitIdent, type Token } from "./address-tokens";
import { unitAbbr, unitNeedsId } from "./usps-tables";

/** A secondary unit (or PO box) found in a run of tokens: tokens [start, end) hold it. */
export interface UnitMatch {
  start: number;
  end: number;
  type: string;
  id?: string;
}

const ORDINAL = /^(\d+(ST|ND|RD|TH)|FIRST|SECOND|THIRD|FOURTH|FIFTH|SIXTH|SEVENTH|EIGHTH|NINTH|TENTH|GROUND)$/;
const PO_BOX = /^(?:(?:PO|P O|POST OFFICE|POST) ?(?:BOX|BX)|POBOX|POB|BOX|DRAWER|LOCKBOX|LOCK BOX|LBX)$/;

/** "PO Box 123", "P.O. Box # 9", "POB 477", "Box 63" starting at index i. */
export function poBoxAt(t: readonly Token[], i: number): UnitMatch | undefined {
  for (const n of [3, 2, 1]) {
    const words = t
      .slice(i, i + n)
      .map((x) => x.key)
      .join(" ");
    if (!PO_BOX.test(words) || (n === 1 && words === "BOX" && i > 0)) continue;
    let j = i + n;
    if (t[j]?.key === "#") j++;
    const id = t[j]?.key;
    if (id !== undefined && /^[A-Z0-9]+(?:-[A-Z0-9]+)?$/.test(id) && (/\d/.test(id) || id.length === 1)) {
      return { start: i, end: j + 1, type: "PO Box", id };
    }
  }
  return undefined;
}

/** Reads a unit starting exactly at index i ("Apt 4", "# 12", "Ste. B", "25th Flr", "Lobby"). */
export function unitAt(t: readonly Token[], i: number): UnitMatch | undefined {
  const k = t[i]?.key;
  if (k === undefined) return undefined;
  const box = poBoxAt(t, i);
  if (box) return box;
  const next = t[i + 1]?.key;
  if (k === "#") {
    // "# APT 2": the pound sign only introduces the real designator.
    if (next !== undefined && unitAbbr(next) !== undefined && unitAbbr(next) !== "#") {
      const inner = unitAt(t, i + 1);
      if (inner) return { ...inner, start: i };
    }
    if (next !== undefined && isUnitIdent(next)) return { start: i, end: i + 2, type: "#", id: unitId(next, "#") };
    return undefined;
  }
  // "25th Floor", "Ground Floor", "2 Floor": the number comes first.
  if ((ORDINAL.test(k) || /^\d+$/.test(k)) && next !== undefined && unitAbbr(next) === "FL") {
    return { start: i, end: i + 2, type: "FL", id: unitId(k, "FL") };
  }
  const abbr = unitAbbr(k);
  if (abbr === undefined) return undefined;
  if (next !== undefined && next !== "#" && isUnitIdent(next) && !t[i]?.comma) {
    return { start: i, end: i + 2, type: abbr, id: unitId(next, abbr) };
  }
  if (next === "#" && isUnitIdent(t[i + 2]?.key ?? "")) {
    return { start: i, end: i + 3, type: abbr, id: unitId(t[i + 2]?.key ?? "", abbr) };
  }
  return unitNeedsId(abbr) ? undefined : { start: i, end: i + 1, type: abbr };
}

/**
 * Units at the start of a run, then what is left ("Ste B Alpharetta", "9th Floor Room 905
 * Chicago"). The last unit wins (the most specific one); a lone trailing letter or directional
 * completes an id ("Apt 13 C" → 13C, "Unit 2 East").
 */
export function leadingUnits(t: readonly Token[], completeId: boolean): { unit?: UnitMatch; rest: Token[] } {
  let unit: UnitMatch | undefined;
  let at = 0;
  for (let u = unitAt(t, at); u; u = unitAt(t, at)) {
    unit = { ...u, start: u.start, end: u.end };
    at = u.end;
  }
  // "… Wabash 608" or ", 12C,": an id alone.
  // (A city never starts with a digit, so "Drive 6 Waco" holds a unit too.)
  if (!unit && t.length >= 1 && isUnitIdent(t[0]?.key ?? "") && /\d/.test(t[0]?.key ?? "")) {
    unit = { start: 0, end: 1, type: "#", id: t[0]?.key ?? "" };
    at = 1;
  }
  const last = t[at]?.key;
  if (unit?.id !== undefined && completeId && t.length === at + 1 && last !== undefined && (/^[A-Z]$/.test(last) || isDirectional(last))) {
    unit = { ...unit, id: /^\d+$/.test(unit.id) && last.length === 1 ? `${unit.id}${last}` : `${unit.id} ${last}` };
    at++;
  }
  return unit ? { unit, rest: t.slice(at) } : { rest: [...t] };
}

/** The first unit at or after `from` in the run. */
export function findUnit(t: readonly Token[], from: number, to = t.length): UnitMatch | undefined {
  for (let i = from; i < to; i++) {
    const u = unitAt(t, i);
    if (u && u.end <= to) return u;
  }
  return undefined;
}
