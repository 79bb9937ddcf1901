import { describe, expect, it } from "vitest";
import fieldsCsv from "../../../shared/data/reso_data_dictionary/dd2.0_fields.csv?raw";
import * as z from "zod";
import { FIELDS, seedFeed } from "../../sandbox/src/reso/data";
import { metadataXml } from "../../sandbox/src/reso/metadata";
import { toMember, toOffice } from "../../src/mls/roster";
import { RESO_MEMBER_SCHEMA, RESO_OFFICE_SCHEMA } from "../../src/vendors/reso/schemas";

/** The DD 2.0 fields CSV by `Resource.Field` (no field before `maxLength` holds a comma). */
function dd(): Map<string, { type: string; maxLength: string; collection: boolean }> {
  const [head = "", ...rows] = fieldsCsv.split(/\r?\n/);
  const cols = head.split(",");
  const at = (name: string) => cols.indexOf(name);
  const out = new Map<string, { type: string; maxLength: string; collection: boolean }>();
  for (const line of rows) {
    const c = line.split(",");
    out.set(`${c[at("resourceName")]}.${c[at("fieldName")]}`, {
      type: c[at("type")] ?? "",
      maxLength: c[at("maxLength")] ?? "",
      collection: c[at("isCollection")] === "True",
    });
  }
  return out;
}

const DD = dd();

describe("the RESO Member and Office fields the hub reads, against the Data Dictionary 2.0", () => {
  const cases = [
    ...Object.keys(RESO_MEMBER_SCHEMA).map((f) => ["Member", f, RESO_MEMBER_SCHEMA[f as keyof typeof RESO_MEMBER_SCHEMA]] as const),
    ...Object.keys(RESO_OFFICE_SCHEMA).map((f) => ["Office", f, RESO_OFFICE_SCHEMA[f as keyof typeof RESO_OFFICE_SCHEMA]] as const),
  ];
  it.each(cases)("%s.%s is a DD 2.0 field with a compatible type", (resource, name, schema) => {
    const field = DD.get(`${resource}.${name}`);
    expect(field, `${resource}.${name} is not in the Data Dictionary`).toBeDefined();
    const json = z.toJSONSchema(schema, { unrepresentable: "any" }) as { type?: string | string[]; anyOf?: Array<{ type?: string }> };
    const ours = json.anyOf?.find((t) => t.type !== "null") ?? { type: [json.type].flat().find((t) => t !== "null") };
    if (field?.type === "Edm.String") expect(ours.type).toBe("string");
    else if (field?.type === "Edm.DateTimeOffset") expect(ours.type).toBe("string");
    else expect(field?.type).toMatch(/^org\.reso\.metadata\.enums\./);
  });
});

describe("the sandbox MLS serves Data Dictionary 2.0 names and types only", () => {
  const xml = metadataXml();
  const cases = Object.entries(FIELDS).flatMap(([resource, fields]) => [...fields].map((f) => [resource, f] as const));
  it.each(cases)("%s.%s is a DD 2.0 field, declared in $metadata with its DD type and length", (resource, name) => {
    const field = DD.get(`${resource}.${name}`);
    expect(field, `${resource}.${name} is not in the Data Dictionary`).toBeDefined();
    const entity = new RegExp(`<EntityType Name="${resource}">[\\s\\S]*?</EntityType>`).exec(xml)?.[0] ?? "";
    const decl = new RegExp(`<Property Name="${name}" Type="([^"]+)"(?: MaxLength="(\\d+)")?`).exec(entity);
    expect(decl?.[1]).toBe(field?.collection ? `Collection(${field.type})` : field?.type);
    if (field?.type === "Edm.String") expect(decl?.[2]).toBe(field.maxLength || "255");
  });

  it("every seeded member and office maps to the hub's roster rows", () => {
    const rows: Array<{ resource: string; data: string }> = [];
    const sql = {
      exec: (q: string, ...args: unknown[]) =>
        q.startsWith("INSERT") ? rows.push({ resource: String(args[0]), data: String(args[3]) }) : undefined,
    } as unknown as SqlStorage;
    seedFeed(sql, 42, 0);
    const members = rows.filter((r) => r.resource === "Member").map((r) => toMember(JSON.parse(r.data) as Record<string, unknown>));
    const offices = rows.filter((r) => r.resource === "Office").map((r) => toOffice(JSON.parse(r.data) as Record<string, unknown>));
    expect(members.length).toBeGreaterThan(0);
    expect(offices.length).toBeGreaterThan(0);
    expect(members.every((m) => m.ok && m.row.fullName && m.row.email && m.row.phone && m.row.officeKey)).toBe(true);
    expect(offices.every((o) => o.ok && o.row.name && o.row.phone)).toBe(true);
  });

  // RCP 40, String: RESO's lengths are suggestions; a server may declare and send longer values.
  it("keeps a member whose phone and email are longer than the Data Dictionary's suggested lengths", () => {
    const email = `alexandra.montgomery-whitfield.team-lead@${"northwest-".repeat(5)}realty.example.com`;
    const m = toMember({
      MemberKey: "M2",
      ModificationTimestamp: "2026-01-01T00:00:00Z",
      MemberFullName: "Alexandra Whitfield",
      MemberEmail: email,
      MemberPreferredPhone: "(512) 555-0100 ext. 1234",
    });
    expect(email.length).toBeGreaterThan(80);
    expect(m.ok && m.row).toMatchObject({ key: "M2", email, phone: "(512) 555-0100 ext. 1234" });
  });

  // RESO's Data Dictionary 2.0 certification (web-api-commander, member.feature and office.feature)
  // holds MemberStatus and OfficeStatus to "Single Enumeration" only; StandardStatus alone is
  // limited to the DD's values, so an MLS may keep local statuses here.
  it("keeps a member and an office whose status is the MLS's own value, as sent", () => {
    const m = toMember({ MemberKey: "M1", ModificationTimestamp: "2026-01-01T00:00:00Z", MemberStatus: "Suspended" });
    expect(m.ok && m.row).toMatchObject({ key: "M1", status: "Suspended" });
    const o = toOffice({ OfficeKey: "O1", ModificationTimestamp: "2026-01-01T00:00:00Z", OfficeStatus: "Pending Renewal" });
    expect(o.ok && o.row).toMatchObject({ key: "O1", status: "Pending Renewal" });
  });

  it("refuses a member whose MemberStatus is not text, naming the field and the record", () => {
    const m = toMember({ MemberKey: "M1", ModificationTimestamp: "2026-01-01T00:00:00Z", MemberStatus: 2 });
    expect(m).toMatchObject({ ok: false, key: "M1" });
    expect(!m.ok && m.reason).toContain("MemberStatus");
  });
});
