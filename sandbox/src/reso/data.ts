/**
 * The simulated MLS's records: Property, Member and Office rows (RESO Data Dictionary 2.0 field
 * names and types) in one SQLite table of the vendor's Durable Object, indexed for the queries
 * replication makes (`ModificationTimestamp` order, key lookups), so a feed of 100,000 listings
 * pages as fast as a real one. Listings are generated from a seed: the same seed, the same feed.
 */
import { mixSeed, Rng } from "../lib/prng";

export const RESOURCES = {
  Property: "ListingKey",
  Member: "MemberKey",
  Office: "OfficeKey",
} as const;
export type ResourceName = keyof typeof RESOURCES;

export function isResource(s: string): s is ResourceName {
  return Object.hasOwn(RESOURCES, s);
}

export type ResoRecord = Record<string, string | number | boolean | null | string[]>;

type Row = Record<string, SqlStorageValue>;

/** Where listings start in time: modification stamps of a fresh feed are spread after this. */
const FEED_EPOCH = Date.UTC(2026, 0, 5, 14, 0, 0);

const STREETS = [
  "Oak",
  "Maple",
  "Cedar",
  "Pecan",
  "Live Oak",
  "Barton Springs",
  "Lamar",
  "Guadalupe",
  "Congress",
  "Riverside",
  "Manor",
  "Burnet",
  "Airport",
  "Koenig",
  "Rundberg",
  "Slaughter",
  "Parmer",
  "Brodie",
  "Manchaca",
  "Westgate",
];
const SUFFIXES = ["St", "Ave", "Ln", "Dr", "Blvd", "Rd", "Ct", "Way"];
const PLACES: Array<[city: string, zip: string, county: string]> = [
  ["Austin", "78701", "Travis"],
  ["Austin", "78704", "Travis"],
  ["Austin", "78745", "Travis"],
  ["Austin", "78758", "Travis"],
  ["Round Rock", "78664", "Williamson"],
  ["Cedar Park", "78613", "Williamson"],
  ["Georgetown", "78626", "Williamson"],
  ["Pflugerville", "78660", "Travis"],
  ["Kyle", "78640", "Hays"],
  ["San Marcos", "78666", "Hays"],
];
const SUBTYPES: Array<[type: string, sub: string]> = [
  ["Residential", "SingleFamilyResidence"],
  ["Residential", "SingleFamilyResidence"],
  ["Residential", "Condominium"],
  ["Residential", "Townhouse"],
  ["ResidentialLease", "SingleFamilyResidence"],
  ["Land", "UnimprovedLand"],
];
const FIRST = ["Maria", "James", "Priya", "Daniel", "Sofia", "Wei", "Aaliyah", "Carlos", "Emily", "Noah", "Grace", "Omar"];
const LAST = ["Garcia", "Nguyen", "Patel", "Johnson", "Okafor", "Smith", "Chen", "Martinez", "Brown", "Kim", "Davis", "Lopez"];
export const OFFICE_COUNT = 12;
export const MEMBER_COUNT = 60;

export function ensureTables(sql: SqlStorage): void {
  sql.exec(`CREATE TABLE IF NOT EXISTS reso_records (
    resource TEXT NOT NULL, key TEXT NOT NULL, mod_ms INTEGER NOT NULL, data TEXT NOT NULL,
    PRIMARY KEY (resource, key))`);
  sql.exec("CREATE INDEX IF NOT EXISTS reso_by_mod ON reso_records (resource, mod_ms, key)");
  sql.exec(`CREATE TABLE IF NOT EXISTS reso_requests (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, method TEXT NOT NULL, url TEXT NOT NULL, status INTEGER NOT NULL)`);
}

export function clearAll(sql: SqlStorage): void {
  ensureTables(sql);
  sql.exec("DELETE FROM reso_records");
  sql.exec("DELETE FROM reso_requests");
}

/** Epoch ms → `2026-01-05T14:00:00.000Z` (RESO `ModificationTimestamp` is Edm.DateTimeOffset). */
export const iso = (ms: number) => new Date(ms).toISOString();

export function putRecord(sql: SqlStorage, resource: ResourceName, rec: ResoRecord): void {
  const key = String(rec[RESOURCES[resource]]);
  const mod = Date.parse(String(rec["ModificationTimestamp"]));
  sql.exec(
    "INSERT OR REPLACE INTO reso_records (resource, key, mod_ms, data) VALUES (?, ?, ?, ?)",
    resource,
    key,
    mod,
    JSON.stringify(rec),
  );
}

export function getRecord(sql: SqlStorage, resource: ResourceName, key: string): ResoRecord | undefined {
  const row = sql.exec<Row>("SELECT data FROM reso_records WHERE resource = ? AND key = ?", resource, key).toArray()[0];
  return row ? (JSON.parse(String(row["data"])) as ResoRecord) : undefined;
}

export function removeRecord(sql: SqlStorage, resource: ResourceName, key: string): boolean {
  const before = countRecords(sql, resource);
  sql.exec("DELETE FROM reso_records WHERE resource = ? AND key = ?", resource, key);
  return countRecords(sql, resource) < before;
}

export function countRecords(sql: SqlStorage, resource: ResourceName): number {
  const n = sql.exec<Row>("SELECT COUNT(*) AS n FROM reso_records WHERE resource = ?", resource).one()["n"];
  return typeof n === "number" ? n : 0;
}

/** The newest modification stamp in the feed (a change is always stamped after it). */
export function newestMod(sql: SqlStorage): number {
  const n = sql.exec<Row>("SELECT MAX(mod_ms) AS m FROM reso_records").one()["m"];
  return typeof n === "number" ? n : FEED_EPOCH;
}

function office(i: number): ResoRecord {
  const names = [
    "Hill Country Realty",
    "Capital City Homes",
    "Lone Star Brokers",
    "Violet Crown Real Estate",
    "Bluebonnet Properties",
    "Red River Realty",
  ];
  return {
    OfficeKey: `OFF${String(i + 1).padStart(4, "0")}`,
    OfficeMlsId: `O${1000 + i}`,
    OfficeName: `${names[i % names.length]}${i >= names.length ? ` ${Math.floor(i / names.length) + 1}` : ""}`,
    OfficePhone: `512-555-${String(2000 + i).padStart(4, "0")}`,
    OfficeEmail: `office${i + 1}@example-mls.test`,
    OfficeStatus: "Active",
    OfficeCity: "Austin",
    OfficeStateOrProvince: "TX",
    ModificationTimestamp: iso(FEED_EPOCH - 86_400_000 + i * 1000),
  };
}

function member(i: number): ResoRecord {
  const first = FIRST[i % FIRST.length] ?? "Alex";
  const last = LAST[(i * 7) % LAST.length] ?? "Lee";
  const off = i % OFFICE_COUNT;
  return {
    MemberKey: `MBR${String(i + 1).padStart(5, "0")}`,
    MemberMlsId: `M${20000 + i}`,
    MemberFirstName: first,
    MemberLastName: last,
    MemberFullName: `${first} ${last}`,
    MemberEmail: `${first}.${last}${i}@example-mls.test`.toLowerCase(),
    MemberPreferredPhone: `512-555-${String(3000 + i).padStart(4, "0")}`,
    MemberStatus: "Active",
    OfficeKey: `OFF${String(off + 1).padStart(4, "0")}`,
    OfficeMlsId: `O${1000 + off}`,
    ModificationTimestamp: iso(FEED_EPOCH - 43_200_000 + i * 1000),
  };
}

/** Listing number `i` of the feed seeded with `seed` (deterministic). */
export function listing(seed: number, i: number): ResoRecord {
  const rng = new Rng(mixSeed(seed, `listing:${i}`));
  const pick = <T>(xs: readonly T[]): T => xs[rng.int(xs.length)] as T;
  const [city, zip, county] = pick(PLACES);
  const [type, sub] = pick(SUBTYPES);
  const land = type === "Land";
  const lease = type === "ResidentialLease";
  const beds = land ? null : 1 + rng.int(5);
  const baths = land ? null : 1 + rng.int(4);
  const area = land ? null : 650 + rng.int(3800);
  const price = lease ? 1200 + rng.int(40) * 50 : land ? 60_000 + rng.int(400) * 1000 : 185_000 + rng.int(1800) * 500;
  const streetNumber = String(100 + rng.int(9800));
  const street = pick(STREETS);
  const suffix = pick(SUFFIXES);
  const m = member(rng.int(MEMBER_COUNT));
  const o = office(Number(String(m["OfficeKey"]).slice(3)) - 1);
  const contract = FEED_EPOCH - (5 + rng.int(120)) * 86_400_000;
  return {
    ListingKey: `${(seed % 97).toString(36)}${rng.hex(6)}${i.toString(36).padStart(5, "0")}`,
    ListingId: String(1_000_000 + ((seed * 7919 + i * 104_729) % 8_999_999)),
    OriginatingSystemName: "sandbox-mls",
    StandardStatus: "Active",
    MlsStatus: "Active",
    PropertyType: type,
    PropertySubType: sub,
    ListPrice: price,
    OriginalListPrice: price,
    StreetNumber: streetNumber,
    StreetName: street,
    StreetSuffix: suffix,
    UnitNumber: sub === "Condominium" ? String(100 + rng.int(400)) : null,
    UnparsedAddress: `${streetNumber} ${street} ${suffix}${sub === "Condominium" ? " #" + String(100 + rng.int(400)) : ""}, ${city}, TX ${zip}`,
    City: city,
    StateOrProvince: "TX",
    PostalCode: zip,
    CountyOrParish: county,
    Country: "US",
    BedroomsTotal: beds,
    BathroomsTotalInteger: baths,
    LivingArea: area,
    LivingAreaUnits: area === null ? null : "SquareFeet",
    LotSizeAcres: Math.round((0.1 + rng.float() * 2) * 100) / 100,
    YearBuilt: land ? null : 1950 + rng.int(75),
    ListAgentKey: String(m["MemberKey"]),
    ListAgentMlsId: String(m["MemberMlsId"]),
    ListAgentFullName: String(m["MemberFullName"]),
    ListOfficeKey: String(o["OfficeKey"]),
    ListOfficeMlsId: String(o["OfficeMlsId"]),
    ListOfficeName: String(o["OfficeName"]),
    ListingContractDate: iso(contract).slice(0, 10),
    OnMarketDate: iso(contract).slice(0, 10),
    ClosePrice: null,
    CloseDate: null,
    AccessibilityFeatures: land ? [] : rng.chance(0.15) ? ["AccessibleEntrance", "AccessibleDoors"] : [],
    PublicRemarks: `${beds ?? "No"} bed${beds === 1 ? "" : "s"} in ${city}, close to parks and shops.`,
    ModificationTimestamp: iso(FEED_EPOCH + i * 37_000 + rng.int(1000)),
  };
}

/** Fresh Member and Office rosters plus `count` listings from `seed` (appended after `from`). */
export function seedFeed(sql: SqlStorage, seed: number, count: number, from = 0): void {
  ensureTables(sql);
  if (from === 0) {
    for (let i = 0; i < OFFICE_COUNT; i++) putRecord(sql, "Office", office(i));
    for (let i = 0; i < MEMBER_COUNT; i++) putRecord(sql, "Member", member(i));
  }
  for (let i = from; i < from + count; i++) putRecord(sql, "Property", listing(seed, i));
}

/** Every field name each resource's records carry (what `$select` and `$filter` may name). */
export const FIELDS: Record<ResourceName, ReadonlySet<string>> = {
  Property: new Set(Object.keys(listing(1, 0))),
  Member: new Set(Object.keys(member(0))),
  Office: new Set(Object.keys(office(0))),
};
