import { cityName, displayAbbr, zipParts } from "./address-parts";
import { parseStreet, type StreetParts } from "./address-street";
import { isDirectional, isPrimaryNumber, isSuffix, isUnitType, tokenize, type Token } from "./address-tokens";
import { leadingUnits, poBoxAt, unitAt, type UnitMatch } from "./address-unit";
import type { PostalAddress } from "./postal-address";
import { fail, ok, type Norm } from "./result";
import { directionalAbbr, isStrongSuffix, stateCode, suffixAbbr, unitAbbr, unitNeedsId } from "./usps-tables";

const COUNTRY = new Set(["US", "USA", "UNITED STATES", "UNITED STATES OF AMERICA", "U S A", "U S"]);
/** Suffixes that end the name of a place rather than a street when no number comes first. */
const LANDMARK = new Set(["CTR", "STA", "FLD", "SQ", "PLZ", "VLG", "MALL", "HBR", "PL", "PARK", "ARPT"]);
/** Company words: a comma part made only of these is a recipient, never a city. */
const COMPANY = new Set(["INC", "LLC", "CO", "CORP", "LTD", "JR", "SR", "LLP", "PC"]);
/** States whose ZIPs start with 0: a 4-digit "ZIP" after them lost its zero in a spreadsheet. */
const ZERO_ZIP_STATES = new Set(["CT", "MA", "ME", "NH", "NJ", "RI", "VT", "PR", "VI", "AE"]);

interface Tail {
  end: number;
  state?: string;
  zip?: string;
  zip4?: string;
}

/**
 * Parses a one-line US address ("123 N. Main St., Apt 4, Springfield, IL 62704-1234") into
 * USPS Publication 28 components. Recipient lines before the street are dropped; an
 * intersection ("Main & Elm") is rejected because it has no deliverable street address.
 */
export function parseAddress(raw: string): Norm<PostalAddress> {
  return parseLine(raw, false);
}

/** Parses only a delivery line ("123 N Main St Apt 4"): no city, state or ZIP is looked for. */
export function parseStreetLine(raw: string): Norm<PostalAddress> {
  return parseLine(raw, true);
}

function parseLine(raw: string, streetOnly: boolean): Norm<PostalAddress> {
  if (typeof raw !== "string" || raw.trim() === "") return fail("address_empty", "address is empty");
  const tokens = tokenize(raw);
  if (tokens.length === 0) return fail("address_empty", "address has no words");
  if (!/[\p{L}\p{N}]/u.test(raw)) return fail("address_unparseable", "no letters or digits");
  if (isIntersection(tokens)) return fail("address_intersection", "an intersection is not a postal address");
  const tail: Tail = streetOnly ? { end: tokens.length } : readTail(tokens);
  const body = dropRecipient(segments(tokens.slice(0, tail.end)));
  const parts = readBody(body, tail.state !== undefined || tail.zip !== undefined, streetOnly);
  const address: PostalAddress = {};
  const put = <K extends keyof PostalAddress>(k: K, v: PostalAddress[K] | undefined): void => {
    if (v !== undefined && v !== "") address[k] = v;
  };
  put("number", parts.number);
  put("predirectional", parts.predirectional);
  put("street", parts.street);
  put("suffix", parts.suffix);
  put("postdirectional", parts.postdirectional);
  put("unitType", parts.unit ? (parts.unit.type === "PO Box" ? "PO Box" : displayAbbr(parts.unit.type)) : undefined);
  put("unitId", parts.unit?.id);
  put("city", parts.city);
  put("state", tail.state);
  put("zip", tail.zip);
  put("zip4", tail.zip4);
  if (address.street === undefined && address.unitId === undefined && address.city === undefined && address.zip === undefined) {
    return fail("address_unparseable", "no street, PO box, city or ZIP found");
  }
  return ok(address);
}

function isIntersection(t: readonly Token[]): boolean {
  return !isPrimaryNumber(t[0]?.key ?? "") && t.some((x, i) => i > 0 && (x.key === "&" || x.key === "AND" || x.key === "@"));
}

/** Country, ZIP(+4) and state, read from the end. */
function readTail(t: readonly Token[]): Tail {
  let end = t.length;
  const keyOf = (from: number, to: number): string =>
    t
      .slice(from, to)
      .map((x) => x.key)
      .join(" ");
  for (let again = true; again; ) {
    again = false;
    for (const n of [4, 3, 2, 1]) {
      if (end - n >= 1 && COUNTRY.has(keyOf(end - n, end)) && (n > 1 || end - n >= 2)) {
        end -= n;
        again = true;
        break;
      }
    }
  }
  const tail: Tail = { end };
  const last = t[end - 1]?.key ?? "";
  const prev = t[end - 2];
  if (end >= 3 && /^\d{4}$/.test(last) && /^\d{5}$/.test(prev?.key ?? "") && !prev?.comma) {
    Object.assign(tail, zipParts(`${prev?.key}${last}`));
    end -= 2;
  } else if (end >= 2 && /^\d{5}(?:-?\d{4})?$/.test(last) && !(prev && blocksZip(prev))) {
    Object.assign(tail, zipParts(last));
    end -= 1;
  }
  const four = tail.zip === undefined && /^\d{4}$/.test(t[end - 1]?.key ?? "") ? end - 1 : undefined;
  if (four !== undefined) end--;
  for (const n of [3, 2, 1]) {
    const from = end - n;
    if (from < 1) continue;
    const code = stateCode(keyOf(from, end));
    if (code === undefined || !stateFits(t, from, n, tail.zip !== undefined)) continue;
    tail.state = code;
    end = from;
    break;
  }
  if (four !== undefined) {
    if (tail.state !== undefined && ZERO_ZIP_STATES.has(tail.state)) tail.zip = `0${t[four]?.key}`;
    else if (tail.state === undefined) end++;
  }
  tail.end = end;
  return tail;
}

/** "# 12345", "Apt 12345": the number is the unit's, not a ZIP ("FL 33612" is a state, though). */
function blocksZip(prev: Token): boolean {
  if (prev.comma) return false;
  if (prev.key === "#" || prev.key === "BOX" || prev.key === "POBOX") return true;
  const abbr = unitAbbr(prev.key);
  return abbr !== undefined && unitNeedsId(abbr) && stateCode(prev.key) === undefined;
}

function stateFits(t: readonly Token[], from: number, n: number, hasZip: boolean): boolean {
  const commaBefore = t[from - 1]?.comma === true;
  // "1180 Peachtree Street, NE": after a suffix, NE is the postdirectional, not Nebraska.
  if (commaBefore && !hasZip && n === 1 && isDirectional(t[from]?.key ?? "") && isSuffix(t[from - 1]?.key ?? "")) return false;
  if (hasZip || commaBefore) return true;
  if (from < 2) return false;
  // "321 S. Washington": without the state there would be no street name left.
  const names = t.slice(0, from).filter((x) => !isPrimaryNumber(x.key) && !isDirectional(x.key)).length;
  if (names < 2) return false;
  const k = t[from]?.key ?? "";
  // CT, NE, FL… are also suffixes, directionals or unit designators: a state only if a street
  // suffix came earlier with a city word between.
  if (n === 1 && (isSuffix(k) || isDirectional(k) || isUnitType(k))) {
    const before = t[from - 1]?.key ?? "";
    const ordinal = /\d|^(?:FIRST|SECOND|THIRD|FOURTH|FIFTH|SIXTH|SEVENTH|EIGHTH|NINTH|TENTH|GROUND)$/.test(before);
    return !ordinal && t.slice(1, from - 1).some((x) => isStrongSuffix(x.key));
  }
  return true;
}

/** Splits at separators; "Attn: …" and "c/o …" run to the end of their part and are dropped. */
function segments(t: readonly Token[]): Token[][] {
  const out: Token[][] = [[]];
  let skipping = false;
  for (const x of t) {
    if (x.key === "ATTN" || x.key === "ATTN:" || x.key === "C/O") skipping = true;
    if (!skipping) out[out.length - 1]?.push(x);
    if (x.comma) {
      out.push([]);
      skipping = false;
    }
  }
  return out.filter((s) => s.length > 0);
}

/**
 * "ACME Corp, 815 N 1st Ave…", "HRCC Inc PO Box 1313…": words before the first segment (or
 * word) that starts the delivery line are a recipient; company-word parts ("Inc.") are dropped.
 */
function dropRecipient(all: Token[][]): Token[][] {
  const segs = all.filter((s) => !s.every((x) => COMPANY.has(x.key)));
  const head = segs[0] ?? [];
  if (isPrimaryNumber(head[0]?.key ?? "") || poBoxAt(head, 0)) return segs;
  const at = segs.findIndex((s) => isPrimaryNumber(s[0]?.key ?? "") || poBoxAt(s, 0) !== undefined);
  if (at > 0) return segs.slice(at);
  const word = head.findIndex(
    (x, i) => i >= 2 && (poBoxAt(head, i) !== undefined || (/^\d+[A-Z]?$/.test(x.key) && /^[A-Z]/.test(head[i + 1]?.key ?? ""))),
  );
  const named = word > 0 && !head.slice(0, word).some((x) => isSuffix(x.key) || /\d/.test(x.key) || unitAt(head, 0) !== undefined);
  return named ? [head.slice(word), ...segs.slice(1)] : segs;
}

function readBody(segs: Token[][], hasLocality: boolean, streetOnly: boolean): StreetParts {
  const [first = [], ...rest] = segs;
  // "# 1 Pinto Dr": a pound sign written before the house number.
  const head = first[0]?.key === "#" && /^\d+$/.test(first[1]?.key ?? "") && /^[A-Z]/.test(first[2]?.key ?? "") ? first.slice(1) : first;
  let out: StreetParts;
  let lead: UnitMatch | undefined;
  let body = head;
  const box = poBoxAt(head, 0);
  const placeOnly = !head.some((x, i) => i > 0 && isStrongSuffix(x.key)) && !isPrimaryNumber(head[0]?.key ?? "");
  if (!box && rest.length === 0 && hasLocality && !streetOnly && placeOnly && unitAt(head, 0) === undefined) {
    // "Anchor Point, AK 99556": only a place.
    return { city: cityName(head.map((x) => x.text)) };
  }
  const lastAbbr = suffixAbbr(head[head.length - 1]?.key ?? "");
  if (!box && rest.length > 0 && !streetOnly && !isPrimaryNumber(head[0]?.key ?? "") && lastAbbr !== undefined && LANDMARK.has(lastAbbr)) {
    // "Union Station, Washington, DC": a landmark's name, not a street.
    const last = rest[rest.length - 1] ?? [];
    return { city: cityName(last.map((x) => x.text)) };
  }
  if (box) {
    out = { unit: box };
    const after = head.slice(box.end);
    if (after.length > 0 && !streetOnly) out.city = cityName(after.map((x) => x.text));
  } else {
    // "#42 233 S Wacker Dr": a unit written before the number.
    const u = unitAt(head, 0);
    if (u && u.id !== undefined && isPrimaryNumber(head[u.end]?.key ?? "")) {
      lead = u;
      body = head.slice(u.end);
    }
    out = parseStreet(body, rest.length === 0 && !streetOnly, hasLocality);
    if (lead && !out.unit) out.unit = lead;
  }
  for (const [n, whole] of rest.entries()) {
    let seg = whole;
    const first = seg[0]?.key ?? "";
    // "1800 M St., NW Ste. 700": a directional opening the next part is the street's.
    if (
      n === 0 &&
      isDirectional(first) &&
      !out.postdirectional &&
      out.street !== undefined &&
      (seg.length === 1 || /^[NS][EW]$/.test(first))
    ) {
      out.postdirectional = directionalAbbr(first) as StreetParts["postdirectional"];
      seg = seg.slice(1);
      if (seg.length === 0) continue;
    }
    const { unit, rest: cityWords } = leadingUnits(seg, false);
    if (unit) out.unit = unit;
    if (!streetOnly && cityWords.length > 0 && !isPrimaryNumber(cityWords[0]?.key ?? "")) out.city = cityName(cityWords.map((x) => x.text));
  }
  return out;
}
