import * as z from "../../lib/zod";
import { ok, permanent, type Result } from "../../lib/result";
import { notConnected } from "../shared/oauth";
import { vendorRequest, type Connection, type VendorRequest } from "../shared/transport";
import {
  QboCustomer,
  QboPreferences,
  QboTransaction,
  QboVendor,
  QueryAnswer,
  type BillBody,
  type CustomerBody,
  type SalesDocumentBody,
  type VendorBody,
} from "./schemas";
import { queryLiteral } from "./to-vendor";

/** Minor versions below 75 are no longer supported; every call names one. */
export const MINOR_VERSION = 75;

/** The entities the hub writes and reads back by document number. */
export type DocumentEntity = "Invoice" | "SalesReceipt" | "Bill";

function parse<T>(schema: z.ZodMiniType<T>, data: unknown, what: string): Result<T> {
  const r = schema.safeParse(data);
  return r.success
    ? ok(r.data)
    : permanent("vendor_unexpected_response", `${what}: ${r.error.issues[0]?.message ?? "invalid"}`, { vendor: "quickbooks" });
}

const wrapped = <T extends z.ZodMiniType>(entity: string, item: T) =>
  z.pipe(
    z.looseObject({ [entity]: item }),
    z.transform((o) => o[entity] as z.infer<T>),
  );

/** A typed QuickBooks Online Accounting API v3 client over one connection (one company). */
export class QuickBooksClient {
  private realm: string | null = null;
  private prefs: Promise<Result<QboPreferences>> | null = null;

  constructor(private readonly conn: Connection) {}

  /**
   * The company id: configured (`credentials.realmId`), else the one the connect callback stored
   * in the credential. Read without renewing anything: an expired token still names its company.
   */
  async realmId(): Promise<Result<string>> {
    if (this.realm) return ok(this.realm);
    const configured = this.conn.config.credentials.realmId;
    if (configured) return ok((this.realm = configured));
    const ans = await this.conn.gate.credential(-Number.MAX_SAFE_INTEGER);
    if (ans.kind === "renew") await this.conn.gate.abandonLease(ans.leaseId);
    const stored = ans.kind === "token" ? ans.credential.meta?.realmId : undefined;
    return stored ? ok((this.realm = stored)) : notConnected("quickbooks");
  }

  private async call<T>(req: Omit<VendorRequest, "path"> & { path: string }, schema: z.ZodMiniType<T>, what: string): Promise<Result<T>> {
    const realm = await this.realmId();
    if (!realm.ok) return realm;
    const r = await vendorRequest<unknown>(this.conn, {
      ...req,
      path: `/v3/company/${encodeURIComponent(realm.value)}${req.path}`,
      query: { ...req.query, minorversion: MINOR_VERSION },
    });
    return r.ok ? parse(schema, r.value.data, what) : r;
  }

  /**
   * Runs a query (`select * from Customer where ...`) and returns the QueryResponse object: the
   * entity's array under its name, absent when nothing matched.
   */
  async query(sql: string): Promise<Result<Record<string, unknown>>> {
    const r = await this.call({ method: "GET", path: "/query", query: { query: sql } }, QueryAnswer, "GET query");
    return r.ok ? ok(r.value.QueryResponse) : r;
  }

  private async queryOne<T>(entity: string, where: string, schema: z.ZodMiniType<T>): Promise<Result<T | null>> {
    const r = await this.query(`select * from ${entity} where ${where} maxresults 1`);
    if (!r.ok) return r;
    const list = parse(z._default(z.array(schema), []), r.value[entity], `query ${entity}`);
    return list.ok ? ok(list.value[0] ?? null) : list;
  }

  findCustomerByDisplayName(name: string): Promise<Result<QboCustomer | null>> {
    return this.queryOne("Customer", `DisplayName = ${queryLiteral(name)}`, QboCustomer);
  }

  findVendorByDisplayName(name: string): Promise<Result<QboVendor | null>> {
    return this.queryOne("Vendor", `DisplayName = ${queryLiteral(name)}`, QboVendor);
  }

  /** An invoice, sales receipt or bill by its DocNumber: the lasting key of search-before-create. */
  findByDocNumber(entity: DocumentEntity, docNumber: string): Promise<Result<QboTransaction | null>> {
    return this.queryOne(entity, `DocNumber = ${queryLiteral(docNumber)}`, QboTransaction);
  }

  /** Every write carries `requestid`: the same id twice returns the first answer, never a second entity. */
  private async create<T>(entity: string, body: unknown, requestId: string, schema: z.ZodMiniType<T>): Promise<Result<T>> {
    if (!/^[\x21-\x7e]{1,50}$/.test(requestId)) {
      return permanent("invalid_request_id", "requestid must be 1-50 printable characters", { vendor: "quickbooks" });
    }
    const path = `/${entity.toLowerCase()}`;
    return this.call({ method: "POST", path, query: { requestid: requestId }, json: body }, wrapped(entity, schema), `POST ${path}`);
  }

  createCustomer(body: CustomerBody, requestId: string): Promise<Result<QboCustomer>> {
    return this.create("Customer", body, requestId, QboCustomer);
  }

  createVendor(body: VendorBody, requestId: string): Promise<Result<QboVendor>> {
    return this.create("Vendor", body, requestId, QboVendor);
  }

  createInvoice(body: SalesDocumentBody, requestId: string): Promise<Result<QboTransaction>> {
    return this.create("Invoice", body, requestId, QboTransaction);
  }

  createSalesReceipt(body: SalesDocumentBody, requestId: string): Promise<Result<QboTransaction>> {
    return this.create("SalesReceipt", body, requestId, QboTransaction);
  }

  createBill(body: BillBody, requestId: string): Promise<Result<QboTransaction>> {
    return this.create("Bill", body, requestId, QboTransaction);
  }

  /**
   * Change data capture, for polling: entities changed since `changedSince` (ISO, up to 30 days
   * back), by entity name. Deleted entities come back with `status: "Deleted"`.
   */
  async cdc(entities: string[], changedSince: string): Promise<Result<Record<string, unknown[]>>> {
    const CdcAnswer = z.looseObject({
      CDCResponse: z._default(z.array(z.looseObject({ QueryResponse: z._default(z.array(z.record(z.string(), z.unknown())), []) })), []),
    });
    const r = await this.call({ method: "GET", path: "/cdc", query: { entities: entities.join(","), changedSince } }, CdcAnswer, "GET cdc");
    if (!r.ok) return r;
    const out: Record<string, unknown[]> = Object.fromEntries(entities.map((e) => [e, []]));
    for (const block of r.value.CDCResponse) {
      for (const qr of block.QueryResponse) {
        for (const [key, value] of Object.entries(qr)) if (Array.isArray(value)) out[key] = [...(out[key] ?? []), ...value];
      }
    }
    return ok(out);
  }

  /** The company's preferences the hub depends on (read once per client). */
  async preferences(): Promise<Result<QboPreferences>> {
    this.prefs ??= this.call({ method: "GET", path: "/preferences" }, QboPreferences, "GET preferences").then((r) => {
      if (!r.ok) this.prefs = null;
      return r;
    });
    return this.prefs;
  }

  /** One entity by id (`GET /item/1`), or null when the company has no such entity. */
  async read(entity: "Item" | "Account" | "CompanyInfo", id: string): Promise<Result<Record<string, unknown> | null>> {
    const r = await this.call(
      { method: "GET", path: `/${entity.toLowerCase()}/${encodeURIComponent(id)}` },
      wrapped(entity, z.record(z.string(), z.unknown())),
      `GET ${entity}`,
    );
    // A missing id is a 400 "Object Not Found" (code 610), not a 404.
    if (!r.ok && (r.error.status === 404 || /object not found/i.test(r.error.message))) return ok(null);
    return r;
  }

  /** A cheap authenticated call for health checks (a count reads no rows). */
  async ping(): Promise<Result<true>> {
    const r = await this.query("select count(*) from Customer");
    return r.ok ? ok(true) : r;
  }
}
