import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load";
import { fromVendor, forCreate } from "../../src/mapping/custom-fields";
import { checkValue, type FieldDecl } from "../../src/config/fields";
import defaults from "../../config/brokerage.json";
import { planTransaction } from "../../src/flows/under-contract";
import { documentFields } from "../../src/vendors/quickbooks/custom-fields";

/** The shipped configuration with every `${VAR}` filled in, and `patch` applied to its fields. */
function withFields(
  patch: (fields: Record<string, Record<string, unknown>>) => void,
  more: (doc: Record<string, unknown>) => void = () => {},
) {
  const doc = JSON.parse(JSON.stringify(defaults).replace(/\$\{[A-Z0-9_]+\}/g, "https://vendor.example")) as Record<string, unknown>;
  patch(doc.fields as Record<string, Record<string, unknown>>);
  more(doc);
  return parseConfig(doc, {});
}

function errorsOf(load: ReturnType<typeof parseConfig>): string[] {
  return load.ok ? [] : load.errors.map((e) => `${e.path}: ${e.message}`);
}

describe("the brokerage's own fields in the configuration", () => {
  it("accepts the shipped worked example (three fields of three types, with a default and an owner)", () => {
    const load = withFields(() => {});
    expect(errorsOf(load)).toEqual([]);
    if (!load.ok) return;
    expect(Object.keys(load.config.fields)).toEqual(["complianceStatus", "earnestMoney", "inspectionDate"]);
    expect(load.config.fields.complianceStatus?.default).toBe("Pending Compliance Review");
  });

  it("fails at start naming the field and the problem when a transform cannot produce the declared type", () => {
    const errors = errorsOf(withFields((f) => void (f.earnestMoney = { ...f.earnestMoney, transform: "phone" })));
    expect(errors).toEqual(["fields.earnestMoney.transform: the phone transform cannot produce a money value"]);
  });

  it("names a Dotloop label that does not exist, a default outside an enum's values, and a field with no system", () => {
    const errors = errorsOf(
      withFields((f) => {
        f.inspectionDate = { ...f.inspectionDate, dotloop: { section: "Offer Dates", field: "Inspection Day" } };
        f.complianceStatus = { ...f.complianceStatus, default: "Done" };
        f.orphan = { type: "text" };
      }),
    );
    expect(errors).toContain('fields.inspectionDate.dotloop.field: Dotloop\'s "Offer Dates" section has no field "Inspection Day"');
    expect(errors).toContain(
      'fields.complianceStatus.default: default "Done" is not one of "Pending Compliance Review", "Approved", "Needs Attention"',
    );
    expect(errors).toContain("fields.orphan: lives in no system: give at least one of followupboss, dotloop, skyslope, quickbooks");
  });

  it("refuses a field placed on the CRM deal's transaction id field, which holds the hub's own link", () => {
    const errors = errorsOf(withFields((f) => void (f.fileNumber = { type: "text", followupboss: { deal: "customTransactionID" } })));
    expect(errors).toEqual(["fields.fileNumber.followupboss.deal: is the transactionIdField"]);
  });

  it("refuses two fields written to one vendor field, an unknown type, and a stage map for no vendor", () => {
    const errors = errorsOf(
      withFields(
        (f) => {
          f.secondDeposit = { type: "money", followupboss: { deal: "customEarnestMoney" } };
          f.weird = { type: "colour", followupboss: { deal: "customWeird" } };
        },
        (doc) => void ((doc.stages as Record<string, unknown>).salesforce = { Won: "closed" }),
      ),
    );
    expect(errors).toContain(
      'fields.weird.type: Invalid option: expected one of "text"|"number"|"money"|"date"|"phone"|"email"|"enum"|"boolean"',
    );
    // Checks that need every field to parse run once the shapes are right.
    const shared = errorsOf(
      withFields(
        (f) => void (f.secondDeposit = { type: "money", followupboss: { deal: "customEarnestMoney" } }),
        (doc) => void ((doc.stages as Record<string, unknown>).salesforce = { Won: "closed" }),
      ),
    );
    expect(shared).toContain(
      'fields.secondDeposit.followupboss.deal: followupboss deal customEarnestMoney is already the place of field "earnestMoney"',
    );
    expect(shared).toContain(
      "stages.salesforce: 'salesforce' is not a vendor (followupboss, liondesk, dotloop, skyslope, quickbooks, reso)",
    );
  });
});

describe("several brokerage fields in one QuickBooks memo", () => {
  it("load, and the document's memo carries each by its label", () => {
    const load = withFields((f) => {
      f.inspectionDate = { ...f.inspectionDate, quickbooks: { memo: true } };
    });
    expect(errorsOf(load)).toEqual([]);
    if (!load.ok) return;
    const doc = documentFields(load.config.fields, { complianceStatus: "Approved", inspectionDate: "2026-12-10" });
    expect(doc.memo).toBe("Compliance Status: Approved; Inspection Date: 2026-12-10");
  });
});

describe("a brokerage field written as the QuickBooks class", () => {
  it("must hold a class id: a money field there fails at start", () => {
    expect(errorsOf(withFields((f) => void (f.earnestMoney = { ...f.earnestMoney, quickbooks: { class: true } })))).toContain(
      "fields.earnestMoney.quickbooks.class: a class is named by its id: a money field cannot hold one",
    );
    expect(errorsOf(withFields((f) => void (f.complianceStatus = { ...f.complianceStatus, quickbooks: { class: true } })))).toEqual([]);
  });
});

describe("the ownership policy in the configuration", () => {
  it("names an owned field the golden record does not have, a declared field without its custom. prefix, and a system that does not exist", () => {
    const errors = errorsOf(
      withFields(
        () => {},
        (doc) =>
          void (doc.ownership = {
            phones: "followupboss",
            "custom.earnestMoney": "dotloop",
            earnestMoney: "dotloop",
            favouriteColour: "followupboss",
            lastName: "Dotloop",
          }),
      ),
    );
    expect(errors).toEqual([
      "ownership.earnestMoney: a brokerage field is owned as custom.earnestMoney (or by its own owner)",
      "ownership.favouriteColour: no field 'favouriteColour' in the golden record (firstName, lastName, emails, phones, address, tags, name, stage, price, commission, closingDate, or custom.<field>)",
      "ownership.lastName: 'Dotloop' is not a system (standard, zillow, realtor, idx, followupboss, dotloop, quickbooks, docusign, reso, skyslope, liondesk)",
    ]);
  });
});

describe("a vendor's value of a declared field becomes the canonical one by its transform", () => {
  const money: FieldDecl = { type: "money", required: false };
  const date: FieldDecl = { type: "date", timeZone: "America/Chicago", required: false };
  const status: FieldDecl = {
    type: "enum",
    values: ["Pending Compliance Review", "Approved"],
    transform: { enum: { pending: "Pending Compliance Review" } },
    required: false,
  };

  it("reads money as cents, an instant as the calendar date in the field's zone, an enum through its table", () => {
    expect(fromVendor(money, "5,000")).toEqual({ ok: true, value: 500_000 });
    expect(fromVendor(money, 5000)).toEqual({ ok: true, value: 500_000 });
    expect(fromVendor(date, "12/15/2026")).toEqual({ ok: true, value: "2026-12-15" });
    expect(fromVendor(date, "2026-12-15T02:00:00Z")).toEqual({ ok: true, value: "2026-12-14" });
    expect(fromVendor(status, "PENDING")).toEqual({ ok: true, value: "Pending Compliance Review" });
    expect(fromVendor(status, "approved")).toEqual({ ok: true, value: "Approved" });
  });

  it("tells apart values that differ only by punctuation, reading each as itself", () => {
    const grade: FieldDecl = { type: "enum", values: ["A+", "A", "A-"], required: false };
    expect(fromVendor(grade, "A-")).toEqual({ ok: true, value: "A-" });
    expect(fromVendor(grade, "a")).toEqual({ ok: true, value: "A" });
    expect(fromVendor(grade, "A+")).toEqual({ ok: true, value: "A+" });
    // Loosely written, it could be any of the three: refused rather than guessed.
    expect(fromVendor(grade, "A -")).toMatchObject({ ok: false });
    const window: FieldDecl = {
      type: "enum",
      values: ["<30 days", ">30 days"],
      transform: { enum: { "< 30": "<30 days", "> 30": ">30 days" } },
      required: false,
    };
    expect(fromVendor(window, ">30 days")).toEqual({ ok: true, value: ">30 days" });
    expect(fromVendor(window, "> 30")).toEqual({ ok: true, value: ">30 days" });
  });

  it("keeps a phone's extension beside its number, as a tel: URI writes it, and reads that form back as itself", () => {
    const office: FieldDecl = { type: "phone", required: false };
    expect(fromVendor(office, "(512) 555-0100 ext. 1234")).toEqual({ ok: true, value: "+15125550100;ext=1234" });
    expect(fromVendor(office, "+15125550100;ext=1234")).toEqual({ ok: true, value: "+15125550100;ext=1234" });
    expect(fromVendor(office, "512-555-0100")).toEqual({ ok: true, value: "+15125550100" });
    expect(checkValue(office, "+15125550100;ext=1234")).toBeNull();
    expect(checkValue(office, "+15125550100;ext=")).toBe("expected an E.164 phone");
  });

  it("refuses a value that does not fit the declared type, and treats blanks as absent", () => {
    expect(fromVendor(money, "five grand").ok).toBe(false);
    expect(fromVendor(status, "Closed")).toMatchObject({ ok: false, message: '"Closed" is in neither the values nor the enum table' });
    expect(fromVendor(date, "")).toEqual({ ok: true, value: undefined });
  });

  it("reads a number only in US digit grouping, and refuses text longer than a record holds", () => {
    const count: FieldDecl = { type: "number", required: false };
    expect(fromVendor(count, "1,234.5")).toEqual({ ok: true, value: 1234.5 });
    expect(fromVendor(count, "-3")).toEqual({ ok: true, value: -3 });
    expect(fromVendor(count, 7)).toEqual({ ok: true, value: 7 });
    // A decimal comma or a stray one is not read as thousands: "1,5" is not 15.
    expect(fromVendor(count, "1,5")).toMatchObject({ ok: false, message: '"1,5" is not a number' });
    expect(fromVendor(count, "1.234,56")).toMatchObject({ ok: false });
    const text: FieldDecl = { type: "text", required: false };
    expect(fromVendor(text, "x".repeat(4000))).toEqual({ ok: true, value: "x".repeat(4000) });
    expect(fromVendor(text, "x".repeat(4001))).toEqual({ ok: false, message: "text longer than 4000 characters" });
  });

  it("gives created records each field's default, and lists required fields with neither value nor default", () => {
    const fields = {
      complianceStatus: { ...status, default: "Pending Compliance Review" },
      earnestMoney: { ...money, required: true, label: "Earnest Money" },
    };
    expect(forCreate(fields, {})).toEqual({ values: { complianceStatus: "Pending Compliance Review" }, missing: ["Earnest Money"] });
    expect(forCreate(fields, { earnestMoney: 100 })).toEqual({
      values: { complianceStatus: "Pending Compliance Review", earnestMoney: 100 },
      missing: [],
    });
    // A value the CRM holds that could not be read is not "missing": the agent would see it there.
    expect(forCreate(fields, {}, new Set(["earnestMoney"])).missing).toEqual(["Earnest Money (its value could not be read as money)"]);
  });
});

describe("a required field of the brokerage's on a transaction the hub would create", () => {
  it("halts the transaction with the field named beside any other missing data, and creates nothing partial", () => {
    const buyer = { firstName: "Ana", emails: [{ value: "ana@example.com" }], phones: [], roles: [], tags: [] };
    const missing = forCreate({ earnestMoney: { type: "money", required: true, label: "Earnest Money" } }, {}).missing;
    const plan = planTransaction({ dealId: "deal_1", dealName: "12 Oak Ln, Austin, TX 78701", buyer, missingFields: missing });
    expect(plan).toEqual({ ok: false, reason: "cannot create the transaction: missing Earnest Money", missing: ["Earnest Money"] });
    const filled = forCreate({ earnestMoney: { type: "money", required: true, label: "Earnest Money" } }, { earnestMoney: 500_000 });
    const ok = planTransaction({
      dealId: "deal_1",
      dealName: "12 Oak Ln, Austin, TX 78701",
      buyer,
      custom: filled.values,
      missingFields: filled.missing,
    });
    expect(ok.ok && ok.deal.custom).toEqual({ earnestMoney: 500_000 });
  });
});
