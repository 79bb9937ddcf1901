import { cityName, displayAbbr, primaryNumber, streetName } from "./address-parts";
import {
  isDirectional,
  isFraction,
  isPrimaryNumber,
  isRouteNumber,
  isSuffix,
  isUnitIdent,
  NUMBER_WORDS,
  ROUTE_SUFFIXES,
  splitGrid,
  type Token,
} from "./address-tokens";
import { findUnit, leadingUnits, type UnitMatch } from "./address-unit";
import type { PostalAddress } from "./postal-address";
import { directionalAbbr, isStrongSuffix, suffixAbbr, unitAbbr } from "./usps-tables";

type Dir = NonNullable<PostalAddress["predirectional"]>;

/** What one street segment ("123 N Main St Apt 4 Springfield") yields. */
export interface StreetParts {
  number?: string;
  predirectional?: Dir;
  street?: string;
  suffix?: string;
  postdirectional?: Dir;
  unit?: UnitMatch;
  city?: string;
}

const dir = (k: string | undefined): Dir | undefined => (k === undefined ? undefined : (directionalAbbr(k) as Dir | undefined));

/** Name particles that follow an initial ("P De Leon"): the initial is then part of the name. */
const PARTICLES = new Set(["DE", "DEL", "LA", "LE", "EL", "LOS", "LAS", "VAN", "VON", "DU", "ST", "MC"]);

/** Words that, before a route number, make a highway-style name: "County Road 43", "CR 2700". */
const ROUTE_WORDS = new Set([
  "CR",
  "SR",
  "FM",
  "RR",
  "US",
  "HC",
  "COUNTY",
  "STATE",
  "INTERSTATE",
  "I",
  "ROUTE",
  "RTE",
  "RT",
  "HWY",
  "HIGHWAY",
]);

/**
 * Parses a street segment. `cityAllowed`: words after the street may be the city (no comma
 * came after this segment). `hasLocality`: a state or ZIP was found, so a city is expected.
 */
export function parseStreet(all: readonly Token[], cityAllowed: boolean, hasLocality: boolean): StreetParts {
  const out: StreetParts = {};
  const t = all.slice(innerStart(all));
  let i = readNumber(t, out);
  const pendingDir = out.predirectional;
  // A unit only ends the street once at least one name word has been read.
  const nameFrom = pendingDir === undefined && isDirectional(t[i]?.key ?? "") ? i + 2 : i + 1;
  const unit = acceptableUnit(t, nameFrom);
  const end = unit ? unit.start : t.length;
  if (!pendingDir && isPredirectional(t, i, end)) {
    out.predirectional = dir(t[i]?.key);
    i++;
  }
  let region = t.slice(i, end);
  let bare: UnitMatch | undefined;
  if (!unit && !(cityAllowed && hasLocality)) {
    bare = trailingUnit(region);
    if (bare) region = region.slice(0, -1);
  }
  const parts = splitRegion(region, unit === undefined && cityAllowed, hasLocality);
  Object.assign(out, parts.fields);
  if (bare) out.unit = bare;
  // After the street: units, then (when allowed) the city.
  const after = unit ? t.slice(unit.start) : parts.rest;
  if (after.length > 0) {
    const { unit: u, rest } = leadingUnits(after, !hasLocality || !cityAllowed);
    if (u) out.unit = u;
    if (cityAllowed && rest.length > 0) out.city = cityName(rest.map((x) => x.text));
  }
  return out;
}

/**
 * "One Midtown Plaza 1360 Peachtree St", "1 Lincoln Ctr 5400 LBJ Fwy": a building name before
 * the real delivery line. Restart at a later number that is followed by a name and a strong
 * suffix, unless that number belongs to a route ("Highway 19") or a unit ("Ste 200").
 */
function innerStart(t: readonly Token[]): number {
  for (let m = 2; m < t.length - 2; m++) {
    const k = t[m]?.key ?? "";
    const before = t[m - 1]?.key ?? "";
    if (
      !/^\d+(?:-\d+)?$/.test(k) ||
      ROUTE_WORDS.has(before) ||
      ROUTE_SUFFIXES.has(suffixAbbr(before) ?? "") ||
      unitAbbr(before) !== undefined
    )
      continue;
    if (t.slice(0, m).some((x, i) => i > 0 && unitAbbr(x.key) !== undefined)) return 0;
    // "2928 N. 2900 E. Road" is a grid address, not a name before a number.
    if (!t.slice(1, m).some((x) => !isDirectional(x.key) && !/\d/.test(x.key))) continue;
    if (t.slice(m + 2).some((x) => isStrongSuffix(x.key) && !/^STE?$/.test(x.key))) return m;
  }
  return 0;
}

/** Primary number (with fraction or letter), or a grid number with its directional. */
function readNumber(t: readonly Token[], out: StreetParts): number {
  const first = t[0]?.key ?? "";
  const grid = splitGrid(first);
  if (grid && /^\d/.test(t[1]?.key ?? "")) {
    // "48S 400E": Utah grid, the directional glued on.
    out.number = grid.num;
    out.predirectional = dir(grid.dir);
    return 1;
  }
  if (!isPrimaryNumber(first) && !(NUMBER_WORDS.has(first) && t.length > 2)) return 0;
  out.number = primaryNumber(first);
  const next = t[1]?.key ?? "";
  if (isFraction(next)) {
    out.number = `${out.number} ${next}`;
    return 2;
  }
  const third = t[2]?.key ?? "";
  const wordAfter = /^[A-Z]{2,}$/.test(third) && !PARTICLES.has(third) && !isSuffix(third);
  if (/^[A-Z]-?$/.test(next) && !isDirectional(next) && (isDirectional(third) || wordAfter)) {
    // "4922 B South Cornell Ave", "2458 B Wesley Chapel Rd": the letter is the number's (2458B);
    // not in "4174 C Avenue", "1180 P De Leon Blvd", "2964 L B J Fwy".
    out.number = `${out.number}${next.replace("-", "")}`;
    return 2;
  }
  return 1;
}

function acceptableUnit(t: readonly Token[], from: number): UnitMatch | undefined {
  for (let s = from; s < t.length; s++) {
    const u = findUnit(t, s);
    if (!u) return undefined;
    const before = t[u.start - 1]?.key ?? "";
    // Id-less designators (Rear, Front, Lobby) are also ordinary words: trust them only after a
    // suffix or directional, or at the very end.
    const ok = u.id !== undefined || u.end === t.length || isSuffix(before) || isDirectional(before);
    if (ok) return u;
    s = u.start;
  }
  return undefined;
}

/**
 * "203 N Wabash 608", "801 S Canal St C1S", "280 Summit Ct B": an id alone after the street
 * is a unit with no designator. A route number ("Highway 157") or a lettered street
 * ("Avenue E") is not.
 */
function trailingUnit(r: readonly Token[]): UnitMatch | undefined {
  const k = r[r.length - 1]?.key ?? "";
  const before = r[r.length - 2]?.key;
  if (r.length < 2 || before === undefined || !isUnitIdent(k)) return undefined;
  if (isDirectional(k) || isSuffix(k) || ROUTE_WORDS.has(before) || ROUTE_SUFFIXES.has(suffixAbbr(before) ?? "")) return undefined;
  if (!/\d/.test(k) && !(isSuffix(before) && r.length >= 3)) return undefined;
  return { start: r.length - 1, end: r.length, type: "#", id: k };
}

function isPredirectional(t: readonly Token[], i: number, end: number): boolean {
  const k = t[i]?.key;
  if (k === undefined || !isDirectional(k)) return false;
  const rest = t.slice(i + 1, end);
  if (rest.length === 0) return false;
  // "100 South St", "306 N Ave NW": the directional is the name ("1520 N Wells" is not).
  const first = rest[0]?.key ?? "";
  // "4400 East West Hwy": two spelled-out directionals before a suffix are the name.
  if (
    rest.length === 2 &&
    k !== directionalAbbr(k) &&
    first !== directionalAbbr(first) &&
    isDirectional(first) &&
    isSuffix(rest[1]?.key ?? "")
  )
    return false;
  if (rest.length === 1) return !(isSuffix(first) && (k !== directionalAbbr(k) || isStrongSuffix(first)));
  return !(isStrongSuffix(first) && isDirectional(rest[1]?.key ?? ""));
}

type RegionFields = Pick<StreetParts, "street" | "suffix" | "postdirectional">;

/** "St Louis", "St. Simons Island": after these, "St" is the city's Saint, not a suffix. */
const SAINT_CITY = new Set([
  "LOUIS",
  "PAUL",
  "PETERSBURG",
  "SIMONS",
  "CHARLES",
  "JOSEPH",
  "GEORGE",
  "AUGUSTINE",
  "CLOUD",
  "CLAIR",
  "HELENA",
  "JOHNS",
  "MARYS",
  "ALBANS",
  "CROIX",
  "JAMES",
  "MATTHEWS",
  "ROSE",
  "PETERS",
  "ANN",
  "MARTINVILLE",
  "CHARLES",
]);
const saintAt = (r: readonly Token[], i: number): boolean => r[i]?.key === "ST" && SAINT_CITY.has(r[i + 1]?.key ?? "");

/** Which word is the suffix: the answer decides where the street ends and the city begins. */
function chooseSuffix(r: readonly Token[], cityAllowed: boolean, hasLocality: boolean): number | undefined {
  const candidates: number[] = [];
  for (let k = 1; k < r.length; k++) {
    const key = r[k]?.key ?? "";
    const next = r[k + 1]?.key;
    // "Highway 157", "County Road 43": a route suffix before a number is part of the name.
    const routeName = next !== undefined && /^\d/.test(next) && isRouteNumber(next) && ROUTE_SUFFIXES.has(suffixAbbr(key) ?? "");
    if (isSuffix(key) && !routeName && !(cityAllowed && saintAt(r, k))) candidates.push(k);
  }
  const atEnd = candidates.filter((c) => c === r.length - 1 || (c === r.length - 2 && isDirectional(r[c + 1]?.key ?? ""))).pop();
  if (!cityAllowed) return atEnd;
  const strongs = candidates.filter((c) => isStrongSuffix(r[c]?.key ?? ""));
  // No state or ZIP: a suffix at the end wins unless it is weak and a strong one came first
  // ("Green Bay Road Highland Park": the city follows Road).
  if (!hasLocality && atEnd !== undefined && (strongs.length === 0 || isStrongSuffix(r[atEnd]?.key ?? ""))) return atEnd;
  // The last strong suffix with words after it ends the street ("River Rd Liberty Grove Rd
  // North Wilkesboro"); Ft/Mt/Pt before more words begin the city ("Ft Myers").
  const cityStart = (c: number): boolean => /^(?:FT|MT|PT)$/.test(r[c]?.key ?? "") && c + 1 < r.length;
  let strong = strongs.filter((c) => c < r.length - 1 && !cityStart(c)).pop() ?? strongs[0];
  // "26th Street Dr", "Grant Avenue Cir": a run of suffixes ends with the real one (but
  // "Ocean Blvd St Simons Island": St before more words is Saint, the city's).
  while (
    strong !== undefined &&
    candidates.includes(strong + 1) &&
    isStrongSuffix(r[strong + 1]?.key ?? "") &&
    !(/^STE?$/.test(r[strong + 1]?.key ?? "") && strong + 2 < r.length)
  )
    strong++;
  if (strong !== undefined) return strong;
  if (!hasLocality) return atEnd;
  // A city is expected but no strong suffix: an abbreviated directional marks the street's
  // end ("Braybrook SE Cedar Rapids"), else the last weak suffix with words after it
  // ("University Square Mall Tampa"), else there is no suffix at all.
  const d = boundaryDirectional(r);
  if (d !== undefined) return candidates.includes(d - 1) ? d - 1 : undefined;
  return candidates.filter((c) => c < r.length - 1).pop();
}

function boundaryDirectional(r: readonly Token[]): number | undefined {
  const d = r.findIndex((x, m) => m >= 1 && m < r.length - 1 && dir(x.key) === x.key);
  return d >= 0 ? d : undefined;
}

function splitRegion(r: readonly Token[], cityAllowed: boolean, hasLocality: boolean): { fields: RegionFields; rest: Token[] } {
  const words = r.map((x) => x.text);
  const k = chooseSuffix(r, cityAllowed, hasLocality);
  if (k === undefined) return noSuffix(r, cityAllowed && hasLocality);
  // "2350 Washington NE Pl": a directional just before the suffix is USPS's postdirectional.
  const inner = k >= 2 && !/^\d+$/.test(r[k - 2]?.key ?? "") ? dir(r[k - 1]?.key) : undefined;
  const fields: RegionFields = {
    street: streetName(words.slice(0, inner ? k - 1 : k)),
    suffix: displayAbbr(suffixAbbr(r[k]?.key ?? "") ?? ""),
  };
  if (inner) fields.postdirectional = inner;
  let after = k + 1;
  const post = dir(r[after]?.key);
  // "Main St West Lafayette": a spelled-out directional followed by words starts the city.
  const cityWord = post !== undefined && after + 1 < r.length && r[after]?.key !== post && !saintAt(r, after + 1);
  if (post && !cityWord && !inner) {
    fields.postdirectional = post;
    after++;
  }
  return { fields, rest: r.slice(after) };
}

/** A street with no suffix: "Broadway", "400 E", "State Highway 116", "CR 2700 E". */
function noSuffix(r: readonly Token[], splitCity: boolean): { fields: RegionFields; rest: Token[] } {
  let nameEnd = r.length;
  if (splitCity) {
    const route = r.findIndex(
      (x, m) =>
        m >= 1 && /^\d/.test(x.key) && isRouteNumber(x.key) && (isSuffix(r[m - 1]?.key ?? "") || ROUTE_WORDS.has(r[m - 1]?.key ?? "")),
    );
    nameEnd = route >= 0 ? route + 1 : (boundaryDirectional(r) ?? Math.min(1, r.length));
  }
  const fields: RegionFields = {};
  const nameWords = r.slice(0, nameEnd).map((x) => x.text);
  const lastKey = r[nameEnd - 1]?.key ?? "";
  const grid = splitGrid(lastKey);
  if (grid && nameEnd >= 1) {
    // "400E", "60E": a grid/route number with its directional glued on.
    nameWords[nameEnd - 1] = grid.num;
    fields.postdirectional = dir(grid.dir);
  } else if (nameEnd >= 2 && isDirectional(lastKey) && !splitCity && !(nameEnd === 2 && isSuffix(r[0]?.key ?? ""))) {
    // ("3640 Avenue E": E is the name.)
    nameWords.pop();
    fields.postdirectional = dir(lastKey);
  } else if (splitCity && isDirectional(r[nameEnd]?.key ?? "")) {
    fields.postdirectional = dir(r[nameEnd]?.key);
    nameEnd++;
  }
  const street = streetName(nameWords);
  if (street !== undefined) fields.street = street;
  return { fields, rest: splitCity ? r.slice(nameEnd) : [] };
}
