/**
 * `npm run eval:normalize`: scores src/normalize on the third-party data in ../shared/data.
 * Prints one table per data set and, as the last line, one JSON object with the figures.
 * `--verbose` also lists every address component that disagrees with its label.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { normalizePhone, parseAddress, type PostalAddress } from "../src/normalize";
import { cityName, displayAbbr, primaryNumber, streetName, unitId, zipParts } from "../src/normalize/address-parts";
import { directionalAbbr, stateCode, suffixAbbr, unitAbbr } from "../src/normalize/usps-tables";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const data = path.resolve(repoRoot, "../shared/data");
const read = (p: string): string => readFileSync(path.join(data, p), "utf8");
const verbose = process.argv.includes("--verbose");
const pct = (n: number, d: number): number => (d === 0 ? 100 : Math.round((10000 * n) / d) / 100);
const figures: Record<string, unknown> = {};

function table(title: string, rows: Array<[string, number, number]>, note?: string): void {
  console.log(`\n${title}`);
  if (note) console.log(note);
  for (const [name, good, total] of rows)
    console.log(`  ${name.padEnd(44)} ${String(good).padStart(5)}/${String(total).padEnd(5)} ${pct(good, total).toFixed(2).padStart(6)}%`);
}

// ── Phones ───────────────────────────────────────────────────────────────────────────────
interface PhoneCase {
  input: string;
  google_matcher_category: string;
  real_metadata_google_libphonenumber: { e164?: string; ext?: string | null; valid?: boolean };
}
const phones = JSON.parse(read("phones_us/libphonenumber_matcher_cases_us.json")) as PhoneCase[];
const phoneRows = { valid: [0, 0], impossible: [0, 0], invalid: [0, 0] };
for (const c of phones) {
  const oracle = c.real_metadata_google_libphonenumber;
  const r = normalizePhone(c.input, "US");
  const bucket = oracle.valid
    ? phoneRows.valid
    : c.google_matcher_category === "IMPOSSIBLE_CASES"
      ? phoneRows.impossible
      : phoneRows.invalid;
  const good = oracle.valid ? r.ok && r.e164 === oracle.e164 && (r.ext ?? null) === (oracle.ext ?? null) : !r.ok;
  bucket[0] = (bucket[0] ?? 0) + (good ? 1 : 0);
  bucket[1] = (bucket[1] ?? 0) + 1;
  if (!good && verbose) console.log("phone miss", JSON.stringify(c.input), JSON.stringify(r));
}
// Chicago ECE phones: 7-digit local numbers must be refused, never given an area code.
const chicago = read("dedupe_chicago_ece/csv_example_input_with_true_ids.csv");
const sevenDigit = [...chicago.matchAll(/,(\d{7}),/g)].map((m) => m[1] ?? "");
const noArea = sevenDigit.filter((p) => {
  const r = normalizePhone(p, "US");
  return !r.ok && r.code === "phone_no_area_code";
}).length;
table("Phones — phones_us (Google libphonenumber oracle, real metadata) and dedupe_chicago_ece", [
  ["valid: exact E.164 (+ extension)", phoneRows.valid[0] ?? 0, phoneRows.valid[1] ?? 0],
  ["IMPOSSIBLE_CASES: rejected", phoneRows.impossible[0] ?? 0, phoneRows.impossible[1] ?? 0],
  ["other invalid (oracle valid=false): rejected", phoneRows.invalid[0] ?? 0, phoneRows.invalid[1] ?? 0],
  ["chicago 7-digit: rejected as phone_no_area_code", noArea, sevenDigit.length],
]);
figures.phones = {
  validExactPct: pct(phoneRows.valid[0] ?? 0, phoneRows.valid[1] ?? 0),
  impossibleRejectedPct: pct(phoneRows.impossible[0] ?? 0, phoneRows.impossible[1] ?? 0),
  otherInvalidRejectedPct: pct(phoneRows.invalid[0] ?? 0, phoneRows.invalid[1] ?? 0),
  sevenDigitNoAreaCodePct: pct(noArea, sevenDigit.length),
};

// ── C1 suffix table ──────────────────────────────────────────────────────────────────────
const c1 = read("usps_pub28_tables/c1_street_suffixes.csv")
  .trim()
  .split("\n")
  .slice(1)
  .map((l) => l.split(","));
let c1Lookup = 0;
let c1Parsed = 0;
const c1Ambiguous: string[] = [];
const byForm = new Map<string, Set<string>>();
for (const [, form = "", std = ""] of c1) byForm.set(form, (byForm.get(form) ?? new Set()).add(std));
for (const [primary = "", form = "", std = ""] of c1) {
  if (suffixAbbr(form) === std) c1Lookup++;
  const p = parseAddress(`123 Main ${form}`);
  if (p.ok && p.value.suffix?.toUpperCase() === std) c1Parsed++;
  else if (verbose) console.log("C1 miss", primary, form, std, JSON.stringify(p));
  if ((byForm.get(form)?.size ?? 0) > 1 && suffixAbbr(form) !== std) c1Ambiguous.push(`${form} (${primary} → ${std})`);
}
const c1Unambiguous = c1.filter(([, form = ""]) => (byForm.get(form)?.size ?? 0) === 1);
const c1UnambGood = c1Unambiguous.filter(([, form = "", std = ""]) => suffixAbbr(form) === std).length;
table(
  "USPS Pub 28 C1 — every (commonly used form → standard abbreviation) row",
  [
    ["table lookup, all rows", c1Lookup, c1.length],
    ["table lookup, forms listed under one standard", c1UnambGood, c1Unambiguous.length],
    ['parseAddress("123 Main <form>").suffix, all rows', c1Parsed, c1.length],
  ],
  `  rows that cannot all hold (one form, two standards in C1): ${c1Ambiguous.join(", ") || "none"}`,
);
figures.c1 = {
  rowsPct: pct(c1Lookup, c1.length),
  unambiguousFormsPct: pct(c1UnambGood, c1Unambiguous.length),
  viaParserPct: pct(c1Parsed, c1.length),
  ambiguousRows: c1Ambiguous,
};

// ── Addresses ────────────────────────────────────────────────────────────────────────────
const FIELDS = ["number", "predirectional", "street", "suffix", "postdirectional", "unitType", "unitId", "city", "state", "zip"] as const;
type Field = (typeof FIELDS)[number];
type Expected = Partial<Record<Field, string>>;
type Score = Record<Field, [good: number, total: number]>;
const newScore = (): Score => Object.fromEntries(FIELDS.map((f) => [f, [0, 0]])) as unknown as Score;
const norm = (s: string | undefined): string | undefined =>
  s === undefined || s.trim() === "" ? undefined : s.replace(/\s+/g, " ").trim().toUpperCase();

function score(s: Score, want: Expected, got: PostalAddress | undefined, label: string, skip: readonly Field[] = [], log = true): void {
  for (const f of FIELDS) {
    if (skip.includes(f)) continue;
    const w = norm(want[f]);
    const g = norm(got?.[f]);
    if (w === undefined && g === undefined) continue;
    s[f][1]++;
    if (w === g) s[f][0]++;
    else if (verbose && log) console.log(`  ${f.padEnd(15)} want ${JSON.stringify(w)} got ${JSON.stringify(g)}  ← ${label}`);
  }
}
const scoreRows = (s: Score): Array<[string, number, number]> => {
  const rows: Array<[string, number, number]> = FIELDS.map((f) => [f, s[f][0], s[f][1]]);
  rows.push(["all components (micro)", rows.reduce((a, r) => a + r[1], 0), rows.reduce((a, r) => a + r[2], 0)]);
  return rows;
};
const figuresOf = (s: Score): Record<string, number> =>
  Object.fromEntries(
    scoreRows(s)
      .filter(([, , t]) => t > 0)
      .map(([f, g, t]) => [f === "all components (micro)" ? "all" : f, pct(g, t)]),
  );

/** The usaddress labels, normalized with the parser's own functions (see the note printed). */
function expectedFromLabels(labels: Map<string, string[]>): Expected {
  // Each labelled token loses the separator the writer put after it ("Chicago," → "Chicago").
  const get = (tag: string): string | undefined =>
    labels
      .get(tag)
      ?.map((w) => w.replace(/[,;]+\s*$/g, ""))
      .join(" ")
      .replace(/^[\s,;#]+|[\s,;]+$/g, "");
  const words = (...tags: string[]): string[] =>
    tags
      .flatMap((t) => labels.get(t) ?? [])
      .flatMap((w) => w.split(/\s+/))
      .map((w) => w.replace(/[,;]+$/g, ""))
      .filter((w) => w !== "");
  const e: Expected = {};
  const numSuffix = get("AddressNumberSuffix");
  const num = get("AddressNumber");
  if (num) e.number = primaryNumber(numSuffix ? (numSuffix.includes("/") ? `${num} ${numSuffix}` : `${num}${numSuffix}`) : num);
  const pre = get("StreetNamePreDirectional");
  if (pre) e.predirectional = directionalAbbr(pre.replace(/\s/g, "")) ?? pre;
  e.street = streetName(words("StreetNamePreModifier", "StreetNamePreType", "StreetName"));
  const type = get("StreetNamePostType");
  if (type) e.suffix = displayAbbr(suffixAbbr(type) ?? type);
  const post = get("StreetNamePostDirectional");
  if (post) e.postdirectional = directionalAbbr(post.replace(/\s/g, "")) ?? post;
  const occType = get("OccupancyType");
  const occId = get("OccupancyIdentifier");
  if (occType || occId) {
    const abbr = occType ? (unitAbbr(occType) ?? occType) : "#";
    e.unitType = displayAbbr(abbr);
    if (occId) e.unitId = unitId(occId, abbr);
  } else if (get("USPSBoxID")) {
    e.unitType = "PO Box";
    e.unitId = get("USPSBoxID");
  }
  e.city = cityName(words("PlaceName"));
  const st = get("StateName");
  if (st) e.state = stateCode(st) ?? st;
  const zip = get("ZipCode");
  if (zip) {
    const z = zipParts(zip) ?? (/^\d{4}$/.test(zip) && ZERO_ZIP_STATES.has(e.state ?? "") ? { zip: `0${zip}` } : undefined);
    e.zip = z?.zip ?? zip;
  }
  return e;
}
const ZERO_ZIP_STATES = new Set(["CT", "MA", "ME", "NH", "NJ", "RI", "VT", "PR", "VI", "AE"]);

const OUT_OF_MODEL = [
  "Recipient",
  "BuildingName",
  "LandmarkName",
  "IntersectionSeparator",
  "CornerOf",
  "NotAddress",
  "USPSBoxGroupType",
  "USPSBoxGroupID",
  "SubaddressType",
  "SubaddressIdentifier",
  "AddressNumberPrefix",
  "StreetNamePostModifier",
];
const FILES = ["labeled.xml", "us50_train_tagged.xml", "us50_messiest_manual_label.xml", "multi_word_state_addresses.xml"];
const usAll = newScore();
const usClean = newScore();
const perFile = new Map(FILES.map((f) => [f, newScore()]));
let usStrings = 0;
let usCleanStrings = 0;
let usRejected = 0;
for (const file of FILES) {
  const xml = read(`usaddress_labeled/training/${file}`);
  for (const m of xml.matchAll(/<AddressString>([\s\S]*?)<\/AddressString>/g)) {
    const body = m[1] ?? "";
    const rawText = decode(body.replace(/<[^>]+>/g, ""));
    const labels = new Map<string, string[]>();
    for (const t of body.matchAll(/<(\w+)>([^<]*)<\/\1>/g)) labels.set(t[1] ?? "", [...(labels.get(t[1] ?? "") ?? []), decode(t[2] ?? "")]);
    const want = expectedFromLabels(labels);
    const r = parseAddress(rawText);
    if (!r.ok) usRejected++;
    const got = r.ok ? r.value : undefined;
    usStrings++;
    score(usAll, want, got, `${file}: ${rawText}`);
    const fileScore = perFile.get(file);
    if (fileScore) score(fileScore, want, got, "", [], false);
    if (![...labels.keys()].some((k) => OUT_OF_MODEL.includes(k))) {
      usCleanStrings++;
      score(usClean, want, got, "", [], false);
    }
  }
}
function decode(s: string): string {
  return s
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'");
}
const usNote = [
  `  ${usStrings} strings (${usRejected} rejected by the parser; their labelled components count as misses).`,
  "  A component is scored where the label or the parser has a value (both empty is not scored);",
  "  correct = equal after upper-casing. Labels pass through the parser's own normalizers:",
  "  AddressNumber (+ AddressNumberSuffix: '1/2' after a space, letters glued) → primaryNumber;",
  "  StreetNamePre/PostDirectional → directional abbreviation; StreetNamePreModifier + StreetNamePreType",
  "  + StreetName → street (words as written, periods dropped); StreetNamePostType → C1 abbreviation;",
  "  OccupancyType → C2 abbreviation ('#' when only an OccupancyIdentifier is labelled), OccupancyIdentifier",
  "  → unit id (floor ordinals to numbers); no Occupancy but USPSBoxID → unitType 'PO Box' + the box id;",
  "  PlaceName → city (leading N/St/Mt/Ft spelled out); StateName → two-letter code; ZipCode → 5 digits",
  "  (4-digit ZIPs of zero-prefixed states get their zero back). Other labels are not scored.",
].join("\n");
table("Addresses — usaddress_labeled/training, all strings (per component)", scoreRows(usAll), usNote);
table(
  `Addresses — usaddress_labeled, ${usCleanStrings} strings without labels outside PostalAddress (${OUT_OF_MODEL.join(", ")})`,
  scoreRows(usClean),
);
console.log("\n  per file (all components, micro):");
for (const [file, sc] of perFile) {
  const all = scoreRows(sc).pop() ?? ["", 0, 0];
  console.log(
    `    ${file.padEnd(34)} ${String(all[1]).padStart(5)}/${String(all[2]).padEnd(5)} ${pct(all[1], all[2]).toFixed(2).padStart(6)}%`,
  );
}
console.log("  (us50_* files label differently: directionals inside StreetName, pre/post directional swapped in");
console.log("   us50_messiest_manual_label; their labels are scored as they are.)");
figures.usaddress = {
  strings: usStrings,
  all: figuresOf(usAll),
  clean: { strings: usCleanStrings, ...figuresOf(usClean) },
  perFile: Object.fromEntries([...perFile].map(([f, sc]) => [f, figuresOf(sc).all])),
};

// parse-address (Geo::StreetAddress::US port) expectations.
const pa = JSON.parse(read("us_address_formatting_cases/parse_address_js_cases.json")) as Record<string, Record<string, string>>;
const paScore = newScore();
const review: string[] = [];
let intersections = 0;
let intersectionsRejected = 0;
for (const [input, exp] of Object.entries(pa)) {
  const r = parseAddress(input);
  if (exp.street1 !== undefined) {
    intersections++;
    if (!r.ok && r.code === "address_intersection") intersectionsRejected++;
    continue;
  }
  const want: Expected = {
    number: exp.number,
    predirectional: exp.prefix && directionalAbbr(exp.prefix),
    street: exp.street && streetName(exp.street.split(" ")),
    suffix: exp.type && displayAbbr(suffixAbbr(exp.type) ?? exp.type),
    postdirectional: exp.suffix && directionalAbbr(exp.suffix),
    city: exp.city && cityName(exp.city.split(" ")),
    state: exp.state && (stateCode(exp.state) ?? exp.state),
    zip: exp.zip,
  };
  const got = r.ok ? r.value : undefined;
  // README: unit designators and dropped fractions are review items, not failures.
  const fraction = got?.number?.includes("/") && got.number.split(" ")[0] === exp.number;
  score(paScore, want, got, input, fraction ? ["number", "unitType", "unitId"] : ["unitType", "unitId"]);
  if (fraction) review.push(`${input}: number ${got?.number} (library drops the fraction: ${exp.number})`);
  const wantUnit = [exp.sec_unit_type, exp.sec_unit_num].filter(Boolean).join(" ");
  const gotUnit = [got?.unitType, got?.unitId].filter(Boolean).join(" ");
  if (norm(wantUnit) !== norm(gotUnit)) review.push(`${input}: unit "${gotUnit}" vs library "${wantUnit}"`);
}
table(
  "Addresses — us_address_formatting_cases (parse-address expectations, case-insensitive)",
  [
    ...scoreRows(paScore).filter(([, , t]) => t > 0),
    ["intersections rejected (address_intersection)", intersectionsRejected, intersections],
  ],
  "  unit designator/number and fraction differences are listed as review items, not scored:",
);
for (const r of review) console.log(`    review: ${r}`);
figures.formattingCases = {
  ...figuresOf(paScore),
  intersectionsRejectedPct: pct(intersectionsRejected, intersections),
  reviewItems: review.length,
};

console.log("");
console.log(JSON.stringify(figures));
