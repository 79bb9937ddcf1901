import { z } from "zod";
import { ok, permanent, type Result } from "../../lib/result";
import { vendorRequest, type Connection, type VendorRequest } from "../shared/transport";
import {
  Links,
  SkySlopeChecklistType,
  SkySlopeFile,
  SkySlopeOffice,
  SkySlopeSale,
  SkySlopeUser,
  type ContactBody,
  type SaleBody,
} from "./schemas";
import { addressKey, REFERENCE_FIELD } from "./to-vendor";

function parse<T>(schema: z.ZodType<T>, data: unknown, what: string): Result<T> {
  const r = schema.safeParse(data);
  return r.success ? ok(r.data) : permanent("skyslope_unexpected_response", `${what}: ${r.error.issues[0]?.message ?? "invalid"}`, { vendor: "skyslope" });
}

/** `{value: {<key>: T}}`, SkySlope's envelope. */
const inValue = <T extends z.ZodType>(key: string, item: T) =>
  z.looseObject({ value: z.looseObject({ [key]: item }), links: Links }).transform((o) => {
    // A create answers its links inside `value`; a read or a list next to it.
    const inner = Links.safeParse((o.value as Record<string, unknown>).links);
    return { item: o.value[key] as z.infer<T>, links: [...(o.links ?? []), ...((inner.success && inner.data) || [])] };
  });

const hasNext = (links: Array<{ rel: string }> | null | undefined) => (links ?? []).some((l) => l.rel === "next");

export interface SaleFilters {
  agentGuid?: string;
  createdByGuid?: string;
  earliestDate?: string;
  latestDate?: string;
  pageNumber?: number;
}

export interface FileFilters {
  createdAfter?: string;
  createdBefore?: string;
  modifiedAfter?: string;
  modifiedBefore?: string;
  closedAfter?: string;
  closedBefore?: string;
  status?: string;
  type?: "sale" | "listing";
  propertyAddress?: string;
  pageNumber?: number;
}

/** What identifies a sale the hub may already have created (see `findSaleByReference`). */
export interface SaleReference {
  reference: string;
  property?: { streetNumber?: string; streetAddress?: string; zip?: string };
  /** How far back to look (ISO); default 365 days. */
  createdAfter?: string;
}

/** A typed SkySlope API client over one connection (one user's access key). */
export class SkySlopeClient {
  constructor(private readonly conn: Connection) {}

  private async call<T>(req: VendorRequest, schema: z.ZodType<T>, what: string): Promise<Result<T>> {
    const r = await vendorRequest<unknown>(this.conn, req);
    return r.ok ? parse(schema, r.value.data, what) : r;
  }

  async listOffices(): Promise<Result<SkySlopeOffice[]>> {
    const r = await this.call({ method: "GET", path: "/api/offices" }, inValue("offices", z.array(SkySlopeOffice)), "GET offices");
    return r.ok ? ok(r.value.item) : r;
  }

  async listUsers(officeGuid?: string): Promise<Result<SkySlopeUser[]>> {
    const r = await this.call({ method: "GET", path: "/api/users", query: { officeGuid } }, inValue("users", z.array(SkySlopeUser)), "GET users");
    return r.ok ? ok(r.value.item) : r;
  }

  async listChecklistTypes(officeGuid: string, transactionType: "Sale" | "Listing"): Promise<Result<SkySlopeChecklistType[]>> {
    const r = await this.call(
      { method: "GET", path: `/api/offices/${encodeURIComponent(officeGuid)}/checklisttypes`, query: { transactionType } },
      inValue("checklistTypes", z.array(SkySlopeChecklistType)),
      "GET checklisttypes",
    );
    return r.ok ? ok(r.value.item) : r;
  }

  /** `POST /api/files/sales` → the new sale's guid and its page in SkySlope's UI. */
  async createSale(body: SaleBody): Promise<Result<{ saleGuid: string; url?: string }>> {
    const r = await this.call({ method: "POST", path: "/api/files/sales", json: body }, inValue("saleGuid", z.string().min(1)), "POST sale");
    if (!r.ok) return r;
    const url = r.value.links.find((l) => l.rel === "ui")?.href;
    return ok({ saleGuid: r.value.item, ...(url ? { url } : {}) });
  }

  async getSale(saleGuid: string): Promise<Result<SkySlopeSale>> {
    const r = await this.call({ method: "GET", path: `/api/files/sales/${encodeURIComponent(saleGuid)}` }, inValue("sale", SkySlopeSale), "GET sale");
    return r.ok ? ok(r.value.item) : r;
  }

  /** `PUT /api/files/sales/{guid}` with the fields to change; returns the sale as it now is. */
  async updateSale(saleGuid: string, body: Partial<SaleBody>): Promise<Result<SkySlopeSale>> {
    const r = await this.call({ method: "PUT", path: `/api/files/sales/${encodeURIComponent(saleGuid)}`, json: body }, inValue("sale", SkySlopeSale), "PUT sale");
    return r.ok ? ok(r.value.item) : r;
  }

  /** Adds a buyer or seller contact to a sale. */
  async addContact(saleGuid: string, side: "buyer" | "seller", contact: ContactBody): Promise<Result<{ contactGuid: string }>> {
    const r = await this.call(
      { method: "POST", path: `/api/files/sales/${encodeURIComponent(saleGuid)}/${side}Contact`, json: contact },
      inValue("contactGuid", z.string().min(1)),
      `POST ${side}Contact`,
    );
    return r.ok ? ok({ contactGuid: r.value.item }) : r;
  }

  /** One page of sales; `nextPage` is null on the last. */
  async listSales(filters: SaleFilters = {}): Promise<Result<{ sales: SkySlopeSale[]; nextPage: number | null }>> {
    const page = filters.pageNumber ?? 1;
    const r = await this.call({ method: "GET", path: "/api/files/sales", query: { ...filters, pageNumber: page } }, inValue("sales", z.array(SkySlopeSale)), "GET sales");
    return r.ok ? ok({ sales: r.value.item, nextPage: hasNext(r.value.links) ? page + 1 : null }) : r;
  }

  /**
   * The bulk export (`GET /api/files`), for polling: sales and listings created or modified in a
   * window (SkySlope defaults to the last 7 days when no date is given).
   */
  async listFiles(filters: FileFilters = {}): Promise<Result<{ files: SkySlopeFile[]; nextPage: number | null }>> {
    const Answer = z.looseObject({ value: z.union([z.array(SkySlopeFile), z.looseObject({ files: z.array(SkySlopeFile) }).transform((v) => v.files)]), links: Links });
    const r = await this.call({ method: "GET", path: "/api/files", query: { ...filters } }, Answer, "GET files");
    const page = filters.pageNumber ?? 1;
    return r.ok ? ok({ files: r.value.value, nextPage: hasNext(r.value.links) ? page + 1 : null }) : r;
  }

  /**
   * The sale the hub created for `reference` (found by its custom field), or else one at the same
   * property that carries no hub reference (an agent opened the file by hand). Search this before
   * creating: a retry after a crash between SkySlope's answer and the hub's record then links the
   * first sale instead of opening a second file.
   */
  async findSaleByReference(ref: SaleReference): Promise<Result<{ saleGuid: string } | null>> {
    const createdAfter = ref.createdAfter ?? new Date(Date.now() - 365 * 86_400_000).toISOString();
    const wanted = addressKey(ref.property);
    // The export matches a substring of the whole address; the street alone survives a direction.
    const propertyAddress = wanted ? ref.property?.streetAddress : undefined;
    let candidates: SkySlopeFile[] = [];
    for (let page: number | null = 1; page !== null && page <= 20; ) {
      const r: Result<{ files: SkySlopeFile[]; nextPage: number | null }> = await this.listFiles({ type: "sale", createdAfter, propertyAddress, pageNumber: page });
      if (!r.ok) return r;
      candidates = candidates.concat(r.value.files.filter((f) => f.objectType === "sale" && f.saleGuid));
      page = r.value.nextPage;
    }
    const refOf = (f: SkySlopeFile) => f.customFields?.[REFERENCE_FIELD];
    const mine = candidates.find((f) => refOf(f) === ref.reference);
    const manual = wanted ? candidates.find((f) => refOf(f) === undefined && addressKey(f.property) === wanted) : undefined;
    const hit = mine ?? manual;
    return ok(hit?.saleGuid ? { saleGuid: hit.saleGuid } : null);
  }

  /** A cheap authenticated call for health checks. */
  async ping(): Promise<Result<true>> {
    const r = await vendorRequest<unknown>(this.conn, { method: "GET", path: "/api/offices" });
    return r.ok ? ok(true) : r;
  }
}
