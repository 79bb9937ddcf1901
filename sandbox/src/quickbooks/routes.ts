/**
 * QuickBooks Accounting API v3 under `/quickbooks/v3/company/:realmId`: query, cdc, and
 * create / read / update / delete of the hub's entities. Writes honour `requestid`: the same id
 * returns the first response again and creates nothing.
 */
import { Hono } from "hono";
import type { Context } from "hono";
import type { VendorEnv } from "../core/context";
import { asObject, json, readJson } from "../lib/http";
import { ENTITIES, findRecord, kindOf, remove, save, voidTransaction, WRITABLE } from "./entities";
import type { QboRecord } from "./entities";
import { fault, missing, notFound, validation } from "./faults";
import { fireQuickBooks } from "./hooks";
import { parseQuery, runQuery } from "./query";
import { breaks } from "../state/settings";

type C = Context<VendorEnv>;

interface Cached {
  status: number;
  body: string;
}

const time = () => new Date().toISOString();

async function runSelect(c: C, text: string | undefined): Promise<Response> {
  if (text === undefined || text.trim() === "") return missing("query");
  const q = parseQuery(text);
  if (typeof q === "string") return fault(400, "QueryParserError", "4000", "Error parsing query", `QueryParserError: ${q}`);
  const entity = Object.values(ENTITIES).find((e) => e.toLowerCase() === q.entity.toLowerCase());
  if (entity === undefined)
    return fault(400, "ValidationFault", "4001", "Invalid query", `QueryValidationError: Property ${q.entity} not found for Entity`);
  const records = c.env.vs.store.all<QboRecord>(kindOf(entity)).filter((r) => r.status !== "Deleted");
  const { page, total } = runQuery(records, q);
  if (q.count) return json({ QueryResponse: { totalCount: total }, time: time() });
  if (page.length === 0) return json({ QueryResponse: {}, time: time() });
  return json({ QueryResponse: { [entity]: page, startPosition: q.start, maxResults: page.length }, time: time() });
}

export const companyRoutes = new Hono<VendorEnv>();

companyRoutes.get("/query", (c) => runSelect(c, c.req.query("query")));
companyRoutes.post("/query", async (c) => runSelect(c, await c.req.text()));

/**
 * `GET /preferences`, as Intuit's API reference samples it; `CustomTxnNumbers` follows the
 * `customTxnNumbers` setting.
 */
/**
 * The sales-form custom field definitions as Intuit's custom-fields guide shows them inside
 * `SalesFormsPrefs`: `UseSalesCustomN` (enabled) and `SalesCustomNameN` (the name), N = 1..3.
 */
function salesCustomFieldPrefs(names: readonly string[]): Record<string, unknown> {
  if (names.length === 0) return {};
  return {
    CustomField: [
      { CustomField: names.map((_, i) => ({ Name: `SalesFormsPrefs.UseSalesCustom${i + 1}`, Type: "BooleanType", BooleanValue: true })) },
      { CustomField: names.map((n, i) => ({ Name: `SalesFormsPrefs.SalesCustomName${i + 1}`, Type: "StringType", StringValue: n })) },
    ],
  };
}

companyRoutes.get("/preferences", (c) =>
  json({
    Preferences: {
      AccountingInfoPrefs: {
        FirstMonthOfFiscalYear: "January",
        UseAccountNumbers: true,
        TaxYearMonth: "January",
        ClassTrackingPerTxn: false,
        ClassTrackingPerTxnLine: true,
        TrackDepartments: true,
        DepartmentTerminology: "Location",
        BookCloseDate: "2015-12-31",
        CustomerTerminology: "Customers",
      },
      ProductAndServicesPrefs: { ForSales: true, ForPurchase: true, QuantityWithPriceAndRate: true, QuantityOnHand: true },
      SalesFormsPrefs: {
        AllowDeposit: true,
        AllowDiscount: true,
        AllowEstimates: true,
        AllowServiceDate: false,
        AllowShipping: false,
        CustomTxnNumbers: c.env.vs.settings.customTxnNumbers,
        ETransactionEnabledStatus: "Enabled",
        ETransactionAttachPDF: false,
        ETransactionPaymentEnabled: false,
        IPNSupportEnabled: false,
        UsingPriceLevels: false,
        UsingProgressInvoicing: false,
        ...salesCustomFieldPrefs(c.env.vs.settings.qboSalesCustomFields),
      },
      VendorAndPurchasesPrefs: { BillableExpenseTracking: true, TrackingByCustomer: true },
      TimeTrackingPrefs: {
        UseServices: true,
        BillCustomers: true,
        ShowBillRateToAll: false,
        WorkWeekStartDate: "Monday",
        MarkTimeEntriesBillable: true,
      },
      TaxPrefs: { UsingSalesTax: false },
      CurrencyPrefs: { MultiCurrencyEnabled: false, HomeCurrency: { value: "USD" } },
      ReportPrefs: { ReportBasis: "Accrual", CalcAgingReportFromTxnDate: false },
      OtherPrefs: { NameValue: [{ Name: "SalesFormsPrefs.DefaultCustomerMessage", Value: "Thank you for your business!" }] },
      Id: "1",
      SyncToken: "0",
      MetaData: { CreateTime: "2024-01-02T09:00:00-08:00", LastUpdatedTime: "2024-01-02T09:00:00-08:00" },
    },
    time: time(),
  }),
);

/** Intuit's maximum of objects in one change data capture answer, all entities together. */
const CDC_MAX = 1000;

const lastUpdated = (r: QboRecord) => Date.parse(String(asObject(r["MetaData"])?.["LastUpdatedTime"] ?? ""));

/**
 * `GET /cdc`, by Intuit's API reference: "Objects are grouped by type and then in order of last
 * updated time within the group. Objects deleted within the look-back period are returned after
 * active objects. A given CDC request returns a maximum of 1000 objects" (`qboCdcMax`). Not
 * published, so chosen here: the order within a group is oldest first, and an answer over the
 * maximum keeps the newest objects across the entities asked, so the oldest changes go unlisted.
 */
companyRoutes.get("/cdc", (c) => {
  const vs = c.env.vs;
  const since = Date.parse(c.req.query("changedSince") ?? "");
  const names = (c.req.query("entities") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  if (Number.isNaN(since) || names.length === 0) return missing("entities and changedSince");
  if (since < vs.now() - 30 * 86_400_000) return validation("4002", "Invalid changedSince", "changedSince must be within the last 30 days");
  const groups: Array<[string, QboRecord[]]> = [];
  for (const name of names) {
    const entity = Object.values(ENTITIES).find((e) => e.toLowerCase() === name.toLowerCase());
    if (entity === undefined) return validation("4001", "Invalid entity", `Unknown entity ${name}`);
    groups.push([entity, vs.store.all<QboRecord>(kindOf(entity)).filter((r) => lastUpdated(r) >= since)]);
  }
  const newestFirst = groups.flatMap(([, list]) => list).sort((a, b) => lastUpdated(b) - lastUpdated(a));
  const kept = new Set(newestFirst.slice(0, vs.settings.qboCdcMax ?? CDC_MAX));
  const responses = groups.map(([entity, list]) => {
    const deleted = (r: QboRecord) => (r.status === "Deleted" ? 1 : 0);
    const ordered = list.filter((r) => kept.has(r)).sort((a, b) => deleted(a) - deleted(b) || lastUpdated(a) - lastUpdated(b));
    const view = ordered.map((r) => (r.status === "Deleted" ? { Id: r.Id, status: "Deleted", domain: "QBO", MetaData: r["MetaData"] } : r));
    return { [entity]: view, startPosition: 1, maxResults: view.length, totalCount: view.length };
  });
  return json({ CDCResponse: [{ QueryResponse: responses }], time: time() });
});

companyRoutes.get("/:entity/:id", (c) => {
  const entity = ENTITIES[c.req.param("entity").toLowerCase()];
  if (entity === undefined) return validation("4001", "Unsupported entity", c.req.param("entity"));
  // `item` / `expenseAccount`: the company no longer has the hub's item or expense account.
  const gone =
    (entity === "Item" && breaks(c.env.vs.settings, "item")) || (entity === "Account" && breaks(c.env.vs.settings, "expenseAccount"));
  const rec = gone ? undefined : findRecord(c.env.vs, entity, c.req.param("id"));
  return rec ? json({ [entity]: rec, time: time() }) : notFound(entity, c.req.param("id"));
});

companyRoutes.post("/:entity", async (c) => {
  const vs = c.env.vs;
  const realmId = c.req.param("realmId") ?? "";
  const entity = ENTITIES[c.req.param("entity").toLowerCase()];
  if (entity === undefined || !WRITABLE.has(entity)) return validation("4001", "Unsupported entity", c.req.param("entity"));
  const requestId = c.req.query("requestid");
  const cacheKey = requestId === undefined ? null : `${realmId}:${requestId}`;
  if (requestId !== undefined && requestId.length > 50)
    return validation("2010", "Invalid requestid", "requestid is longer than 50 characters");
  const cached = cacheKey === null ? undefined : vs.store.get<Cached>("requestid", cacheKey);
  if (cached) return new Response(cached.body, { status: cached.status, headers: { "content-type": "application/json" } });
  const read = await readJson(c.req.raw);
  const o = read.ok ? asObject(read.value) : null;
  let res: Response;
  if (o === null) {
    res = validation("2010", "Request has invalid or unsupported property", "Malformed JSON body");
  } else if (c.req.query("operation") === "delete") {
    const rec =
      entity === "Customer" || entity === "Vendor"
        ? validation("6000", "A business validation error has occurred", `${entity} cannot be deleted; set Active to false`)
        : remove(vs, entity, o);
    if (rec instanceof Response) res = rec;
    else {
      fireQuickBooks(vs, entity, rec.Id, "Delete", realmId);
      res = json({ [entity]: { domain: "QBO", status: "Deleted", Id: rec.Id }, time: time() });
    }
  } else if (c.req.query("operation") === "void") {
    const rec = voidTransaction(vs, entity, o);
    if (rec instanceof Response) res = rec;
    else {
      fireQuickBooks(vs, entity, rec.Id, "Void", realmId);
      res = json({ [entity]: rec, time: time() });
    }
  } else {
    const r = save(vs, entity, o);
    if (r instanceof Response) res = r;
    else {
      fireQuickBooks(vs, entity, r.record.Id, r.operation, realmId);
      res = json({ [entity]: r.record, time: time() });
    }
  }
  if (cacheKey !== null) vs.store.put<Cached>("requestid", cacheKey, { status: res.status, body: await res.clone().text() });
  return res;
});
