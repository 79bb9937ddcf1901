/**
 * QuickBooks entities the hub uses (Customer, Vendor, Invoice, SalesReceipt, Bill; Item and
 * Account as lookups): validation, computed fields (Id, SyncToken, MetaData, DocNumber, totals)
 * and SyncToken-checked updates. DisplayName is unique across Customer and Vendor.
 */
import type { VendorCtx } from "../core/context";
import { asObject, num, str } from "../lib/http";
import { isoDate, isoOffset } from "../lib/time";
import { badRef, missing, notFound, validation } from "./faults";

export type QboRecord = Record<string, unknown> & { Id: string; SyncToken: string; status?: "Deleted" };

/** URL segment → entity name. */
export const ENTITIES: Record<string, string> = {
  customer: "Customer",
  vendor: "Vendor",
  invoice: "Invoice",
  salesreceipt: "SalesReceipt",
  bill: "Bill",
  item: "Item",
  account: "Account",
};
export const WRITABLE = new Set(["Customer", "Vendor", "Invoice", "SalesReceipt", "Bill"]);
const NAMED = ["Customer", "Vendor"];
const ID_START: Record<string, number> = { Customer: 58, Vendor: 56, Invoice: 130, SalesReceipt: 230, Bill: 330, Item: 1, Account: 1 };

export function kindOf(entity: string): string {
  return `qbo:${entity}`;
}

export function seedQuickBooks(vs: VendorCtx): void {
  const t = isoOffset(vs.now());
  const meta = { CreateTime: t, LastUpdatedTime: t };
  const put = (entity: string, rec: Record<string, unknown>) =>
    vs.store.put(kindOf(entity), String(rec["Id"]), { ...rec, SyncToken: "0", domain: "QBO", sparse: false, MetaData: meta });
  put("Item", { Id: "1", Name: "Services", Type: "Service", Active: true, IncomeAccountRef: { value: "1", name: "Services" } });
  put("Item", { Id: "2", Name: "Commission", Type: "Service", Active: true, IncomeAccountRef: { value: "1", name: "Services" } });
  put("Account", { Id: "1", Name: "Services", AccountType: "Income", Active: true });
  put("Account", { Id: "4", Name: "Undeposited Funds", AccountType: "Other Current Asset", Active: true });
  put("Account", { Id: "7", Name: "Commissions & fees", AccountType: "Expense", Active: true });
  vs.store.setMeta("seq:qbo:Item", 2);
  vs.store.setMeta("seq:qbo:Account", 7);
}

export function findRecord(vs: VendorCtx, entity: string, id: string): QboRecord | undefined {
  const r = vs.store.get<QboRecord>(kindOf(entity), id);
  return r && r.status !== "Deleted" ? r : undefined;
}

function refName(vs: VendorCtx, entity: string, ref: unknown): { value: string; name: string } | null {
  const value =
    str(asObject(ref)?.["value"]) ?? (typeof asObject(ref)?.["value"] === "number" ? String(asObject(ref)?.["value"]) : undefined);
  const rec = value === undefined ? undefined : findRecord(vs, entity, value);
  if (value === undefined || rec === undefined) return null;
  return { value, name: String(rec["DisplayName"] ?? rec["Name"] ?? "") };
}

function displayName(o: Record<string, unknown>): string | undefined {
  const parts = ["Title", "GivenName", "MiddleName", "FamilyName", "Suffix"].map((k) => str(o[k])).filter((s) => s !== undefined);
  return str(o["DisplayName"])?.trim() ?? (parts.length > 0 ? parts.join(" ") : str(o["CompanyName"]));
}

function nameTaken(vs: VendorCtx, name: string, self: { entity: string; id: string } | null): boolean {
  const key = name.trim().toLowerCase();
  return NAMED.some((entity) =>
    vs.store.all<QboRecord>(kindOf(entity)).some(
      (r) =>
        r.status !== "Deleted" &&
        String(r["DisplayName"] ?? "")
          .trim()
          .toLowerCase() === key &&
        !(self?.entity === entity && self.id === r.Id),
    ),
  );
}

/** Validates lines and returns them numbered, with the transaction total. */
function lines(vs: VendorCtx, entity: string, raw: unknown): { lines: Record<string, unknown>[]; total: number } | Response {
  if (!Array.isArray(raw) || raw.length === 0) return missing("Line");
  const out: Record<string, unknown>[] = [];
  let total = 0;
  // Subtotal lines are computed by QuickBooks; one sent back on update is recomputed.
  const given = raw.filter((item) => asObject(item)?.["DetailType"] !== "SubTotalLineDetail");
  if (given.length === 0) return missing("Line");
  for (const [i, item] of given.entries()) {
    const line = asObject(item);
    const amount = num(line?.["Amount"]);
    if (line === null || amount === undefined) return missing(`Line.Amount (line ${i + 1})`);
    const type = str(line["DetailType"]);
    if (type === undefined) return missing(`Line.DetailType (line ${i + 1})`);
    if (entity === "Bill") {
      const acct = refName(vs, "Account", asObject(line["AccountBasedExpenseLineDetail"])?.["AccountRef"]);
      if (type === "AccountBasedExpenseLineDetail" && acct === null) return badRef("Account");
      total += amount;
    } else if (type === "SalesItemLineDetail") {
      const detail = asObject(line["SalesItemLineDetail"]) ?? {};
      if (detail["ItemRef"] !== undefined) {
        if (refName(vs, "Item", detail["ItemRef"]) === null) return badRef("Item");
        total += amount; // a line without ItemRef is text: its amount is ignored
      }
    }
    out.push({ ...line, Id: String(i + 1), LineNum: i + 1, Amount: amount });
  }
  const rounded = Math.round(total * 100) / 100;
  if (entity !== "Bill") out.push({ Amount: rounded, DetailType: "SubTotalLineDetail", SubTotalLineDetail: {} });
  return { lines: out, total: rounded };
}

/** Builds a new or fully replaced record from input; returns a Fault response when invalid. */
/**
 * A sales form's `CustomField` values, each naming one of the company's definitions ("1" to "3",
 * see the preferences). One naming no enabled definition is refused: Intuit does not publish what
 * it answers then, so the sandbox answers as it does for any invalid reference (assumed).
 */
function customFields(vs: VendorCtx, entity: string, raw: unknown): Array<Record<string, unknown>> | null | Response {
  if (raw === undefined) return null;
  if (entity === "Bill" || !Array.isArray(raw))
    return validation("2010", "Request has invalid or unsupported property", "Property Name:CustomField is not supported here");
  const names = vs.settings.qboSalesCustomFields;
  const out: Array<Record<string, unknown>> = [];
  for (const f of raw) {
    const o = asObject(f);
    const id = str(o?.["DefinitionId"]);
    const name = id !== undefined ? names[Number(id) - 1] : undefined;
    if (o === null || id === undefined || name === undefined) return badRef(`CustomField DefinitionId ${String(id)}`);
    out.push({ DefinitionId: id, Name: name, Type: "StringType", StringValue: str(o["StringValue"]) ?? "" });
  }
  return out;
}

export function build(vs: VendorCtx, entity: string, o: Record<string, unknown>, prev: QboRecord | null): QboRecord | Response {
  const now = vs.now();
  const id = prev?.Id ?? String(vs.store.seq(kindOf(entity), ID_START[entity] ?? 1));
  const t = isoOffset(now);
  const created = asObject(prev?.["MetaData"])?.["CreateTime"] ?? t;
  const base: QboRecord = {
    ...o,
    Id: id,
    SyncToken: prev ? String(Number(prev.SyncToken) + 1) : "0",
    domain: "QBO",
    sparse: false,
    MetaData: { CreateTime: created, LastUpdatedTime: t },
  };
  if (NAMED.includes(entity)) {
    const name = displayName(o);
    if (name === undefined) return missing("DisplayName");
    if (nameTaken(vs, name, prev ? { entity, id } : null)) {
      return validation(
        "6240",
        "Duplicate Name Exists Error",
        "The name supplied already exists. : Another customer, vendor or employee is already using this name. Please use a different name.",
      );
    }
    const tax = str(o["TaxIdentifier"]);
    return {
      Active: true,
      Balance: 0,
      PrintOnCheckName: name,
      ...(entity === "Customer" ? { Taxable: false, Job: false, BalanceWithJobs: 0 } : { Vendor1099: false }),
      ...base,
      DisplayName: name,
      FullyQualifiedName: name,
      ...(tax ? { TaxIdentifier: `XXX-XX-${tax.slice(-4)}` } : {}),
    };
  }
  const partyEntity = entity === "Bill" ? "Vendor" : "Customer";
  const party = refName(vs, partyEntity, o[`${partyEntity}Ref`]);
  if (o[`${partyEntity}Ref`] === undefined && entity !== "SalesReceipt") return missing(`${partyEntity}Ref`);
  if (o[`${partyEntity}Ref`] !== undefined && party === null) return badRef(partyEntity);
  const l = lines(vs, entity, o["Line"]);
  if (l instanceof Response) return l;
  const custom = customFields(vs, entity, o["CustomField"]);
  if (custom instanceof Response) return custom;
  const txnDate = str(o["TxnDate"]) ?? isoDate(now);
  const rec: QboRecord = {
    ...base,
    Line: l.lines,
    TxnDate: txnDate,
    TotalAmt: l.total,
    CurrencyRef: { value: "USD", name: "United States Dollar" },
    ...(party ? { [`${partyEntity}Ref`]: party } : {}),
    ...(custom ? { CustomField: custom } : {}),
  };
  // Intuit: with custom transaction numbers on, a DocNumber is the caller's (none given: none);
  // off, the company numbers its documents, and a supplied one is stored anyway, duplicates too.
  if (entity !== "Bill") {
    const given = str(o["DocNumber"]) ?? (prev?.["DocNumber"] as string | undefined);
    const next = given ?? (vs.settings.customTxnNumbers ? null : String(vs.store.seq("qbo:DocNumber", 1001)));
    if (next !== null) rec["DocNumber"] = next;
  }
  if (entity === "SalesReceipt") {
    rec["Balance"] = 0;
    rec["DepositToAccountRef"] = refName(vs, "Account", o["DepositToAccountRef"]) ?? { value: "4", name: "Undeposited Funds" };
  } else {
    rec["Balance"] = l.total;
    rec["DueDate"] = str(o["DueDate"]) ?? isoDate(Date.parse(txnDate) + 30 * 86_400_000);
  }
  return rec;
}

/** Create, sparse or full update, by the body's Id/SyncToken. */
export function save(
  vs: VendorCtx,
  entity: string,
  o: Record<string, unknown>,
): { record: QboRecord; operation: "Create" | "Update" } | Response {
  const id = o["Id"] === undefined ? undefined : String(o["Id"]);
  if (id === undefined) {
    const rec = build(vs, entity, o, null);
    if (rec instanceof Response) return rec;
    vs.store.put(kindOf(entity), rec.Id, rec);
    return { record: rec, operation: "Create" };
  }
  const prev = findRecord(vs, entity, id);
  if (!prev) return notFound(entity, id);
  if (o["SyncToken"] === undefined) return missing("SyncToken");
  if (String(o["SyncToken"]) !== prev.SyncToken) {
    return validation(
      "5010",
      "Stale Object Error",
      `Stale Object Error : You and ${vs.env.QUICKBOOKS_CLIENT_ID} were working on this at the same time. ${vs.env.QUICKBOOKS_CLIENT_ID} finished before you did, so your work was not saved.`,
    );
  }
  const input = o["sparse"] === true ? { ...stripComputed(prev), ...o } : o;
  const rec = build(vs, entity, input, prev);
  if (rec instanceof Response) return rec;
  vs.store.put(kindOf(entity), rec.Id, rec);
  return { record: rec, operation: "Update" };
}

function stripComputed(r: QboRecord): Record<string, unknown> {
  const { MetaData: _m, SyncToken: _s, TotalAmt: _t, ...rest } = r;
  return rest;
}

/**
 * Voids a sales form as Intuit's Invoice reference describes `operation=void`: given its Id and
 * current SyncToken, "the transaction remains active but all amounts and quantities are zeroed
 * and the string, Voided, is injected into Invoice.PrivateNote, prepended to existing text if
 * present".
 */
export function voidTransaction(vs: VendorCtx, entity: string, o: Record<string, unknown>): QboRecord | Response {
  if (entity !== "Invoice" && entity !== "SalesReceipt")
    return validation("4001", "Unsupported operation", `${entity} cannot be voided here`);
  const prev = atSyncToken(vs, entity, o);
  if (prev instanceof Response) return prev;
  const zeroed = (Array.isArray(prev["Line"]) ? prev["Line"] : []).map((line) => {
    const l = asObject(line) ?? {};
    const detail = asObject(l["SalesItemLineDetail"]);
    return { ...l, Amount: 0, ...(detail ? { SalesItemLineDetail: { ...detail, Qty: 0, UnitPrice: 0 } } : {}) };
  });
  const note = str(prev["PrivateNote"]);
  const rec: QboRecord = {
    ...prev,
    Line: zeroed,
    TotalAmt: 0,
    Balance: 0,
    PrivateNote: note ? `Voided ${note}` : "Voided",
    SyncToken: String(Number(prev.SyncToken) + 1),
    MetaData: { ...(asObject(prev["MetaData"]) ?? {}), LastUpdatedTime: isoOffset(vs.now()) },
  };
  vs.store.put(kindOf(entity), prev.Id, rec);
  return rec;
}

/** Marks a transaction deleted (kept for CDC). */
export function remove(vs: VendorCtx, entity: string, o: Record<string, unknown>): QboRecord | Response {
  const prev = atSyncToken(vs, entity, o);
  if (prev instanceof Response) return prev;
  const rec: QboRecord = {
    ...prev,
    status: "Deleted",
    MetaData: { ...(asObject(prev["MetaData"]) ?? {}), LastUpdatedTime: isoOffset(vs.now()) },
  };
  vs.store.put(kindOf(entity), prev.Id, rec);
  return rec;
}

/** The record a delete or void names by `Id`, if the request carries its current `SyncToken`. */
function atSyncToken(vs: VendorCtx, entity: string, o: Record<string, unknown>): QboRecord | Response {
  const id = String(o["Id"] ?? "");
  const prev = findRecord(vs, entity, id);
  if (!prev) return notFound(entity, id);
  if (String(o["SyncToken"]) !== prev.SyncToken) return validation("5010", "Stale Object Error", "Stale Object Error");
  return prev;
}
