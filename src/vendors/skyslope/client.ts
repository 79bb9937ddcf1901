import * as z from "../../lib/zod";
import { ok, permanent, type Result } from "../../lib/result";
import { vendorRequest, type Connection, type VendorRequest } from "../shared/transport";
import {
  Links,
  SkySlopeChecklistType,
  type SkySlopeFile,
  SkySlopeFilesAnswer,
  SkySlopeOffice,
  SkySlopeSale,
  SkySlopeUser,
  skySlopeCreateAnswer,
  type ContactBody,
  type SaleBody,
} from "./schemas";
import { addressKey } from "./to-vendor";

function parse<T>(schema: z.ZodMiniType<T>, data: unknown, what: string): Result<T> {
  const r = schema.safeParse(data);
  return r.success
    ? ok(r.data)
    : permanent("vendor_unexpected_response", `${what}: ${r.error.issues[0]?.message ?? "invalid"}`, { vendor: "skyslope" });
}

/** `{value: {<key>: T}}`, SkySlope's envelope. */
const inValue = <T extends z.ZodMiniType>(key: string, item: T) =>
  z.pipe(
    z.looseObject({ value: z.looseObject({ [key]: item }), links: Links }),
    z.transform((o) => {
      // A create answers its links inside `value`; a read or a list next to it.
      const inner = Links.safeParse((o.value as Record<string, unknown>).links);
      return { item: o.value[key] as z.infer<T>, links: [...(o.links ?? []), ...((inner.success && inner.data) || [])] };
    }),
  );

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

/** What SkySlope itself keeps of a sale, to find one the hub may already have opened. */
export interface SaleMatch {
  property: { streetNumber?: string; streetAddress?: string; zip?: string };
  /** The agent the sale is filed under. */
  agentGuid?: string;
  mlsNumber?: string;
  /** How far back to look (ISO); default 365 days. */
  createdAfter?: string;
}

/** The file's page in SkySlope's UI: the `SkySlope` link (absolute); a relative href is an API path, not a page. */
export function uiLink(links: Array<{ rel: string; href: string }>): string | undefined {
  const ui = links.find((l) => l.rel === "SkySlope") ?? links.find((l) => l.rel.toLowerCase() === "ui");
  return ui && /^https?:\/\//i.test(ui.href) ? ui.href : undefined;
}

/** A typed SkySlope API client over one connection (one user's access key). */
export class SkySlopeClient {
  constructor(private readonly conn: Connection) {}

  private async call<T>(req: VendorRequest, schema: z.ZodMiniType<T>, what: string): Promise<Result<T>> {
    const r = await vendorRequest<unknown>(this.conn, req);
    return r.ok ? parse(schema, r.value.data, what) : r;
  }

  async listOffices(): Promise<Result<SkySlopeOffice[]>> {
    const r = await this.call({ method: "GET", path: "/api/offices" }, inValue("offices", z.array(SkySlopeOffice)), "GET offices");
    return r.ok ? ok(r.value.item) : r;
  }

  async listUsers(officeGuid?: string): Promise<Result<SkySlopeUser[]>> {
    const r = await this.call(
      { method: "GET", path: "/api/users", query: { officeGuid } },
      inValue("users", z.array(SkySlopeUser)),
      "GET users",
    );
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

  /** `POST /api/files/sales` → the new sale's guid, its page in SkySlope's UI, and SkySlope's warnings. */
  async createSale(body: SaleBody): Promise<Result<{ saleGuid: string; url?: string; warnings: unknown[] }>> {
    const r = await this.call({ method: "POST", path: "/api/files/sales", json: body }, skySlopeCreateAnswer("saleGuid"), "POST sale");
    if (!r.ok) return r;
    const url = uiLink(r.value.links);
    return ok({ saleGuid: r.value.guid, ...(url ? { url } : {}), warnings: r.value.warnings });
  }

  async getSale(saleGuid: string): Promise<Result<SkySlopeSale>> {
    const r = await this.call(
      { method: "GET", path: `/api/files/sales/${encodeURIComponent(saleGuid)}` },
      inValue("sale", SkySlopeSale),
      "GET sale",
    );
    return r.ok ? ok(r.value.item) : r;
  }

  /** `PUT /api/files/sales/{guid}` with the fields to change; returns the sale as it now is. */
  async updateSale(saleGuid: string, body: Partial<SaleBody>): Promise<Result<SkySlopeSale>> {
    const r = await this.call(
      { method: "PUT", path: `/api/files/sales/${encodeURIComponent(saleGuid)}`, json: body },
      inValue("sale", SkySlopeSale),
      "PUT sale",
    );
    return r.ok ? ok(r.value.item) : r;
  }

  /** Adds a buyer or seller contact to a sale. */
  async addContact(saleGuid: string, side: "buyer" | "seller", contact: ContactBody): Promise<Result<{ contactGuid: string }>> {
    const r = await this.call(
      { method: "POST", path: `/api/files/sales/${encodeURIComponent(saleGuid)}/${side}Contact`, json: contact },
      inValue("contactGuid", z.string().check(z.minLength(1))),
      `POST ${side}Contact`,
    );
    return r.ok ? ok({ contactGuid: r.value.item }) : r;
  }

  /** One page of sales; `nextPage` is null on the last. */
  async listSales(filters: SaleFilters = {}): Promise<Result<{ sales: SkySlopeSale[]; nextPage: number | null }>> {
    const page = filters.pageNumber ?? 1;
    const r = await this.call(
      { method: "GET", path: "/api/files/sales", query: { ...filters, pageNumber: page } },
      inValue("sales", z.array(SkySlopeSale)),
      "GET sales",
    );
    return r.ok ? ok({ sales: r.value.item, nextPage: hasNext(r.value.links) ? page + 1 : null }) : r;
  }

  /**
   * The bulk export (`GET /api/files`), for polling: sales and listings created or modified in a
   * window (SkySlope defaults to the last 7 days when no date is given).
   */
  async listFiles(filters: FileFilters = {}): Promise<Result<{ files: SkySlopeFile[]; nextPage: number | null }>> {
    const r = await this.call({ method: "GET", path: "/api/files", query: { ...filters } }, SkySlopeFilesAnswer, "GET files");
    const page = filters.pageNumber ?? 1;
    return r.ok ? ok({ files: r.value.files, nextPage: hasNext(r.value.links) ? page + 1 : null }) : r;
  }

  /**
   * Sales that could be the one the hub opened for a deal, newest first: same property (street
   * number, street, ZIP), filed under the same agent, and no other MLS number — what SkySlope
   * itself keeps of a sale. (`customFields` is SkySlope's fixed object, so the hub cannot count on
   * a key of its own surviving there.) The caller drops the ones the hub has linked to other deals.
   */
  async findSales(m: SaleMatch): Promise<Result<string[]>> {
    const wanted = addressKey(m.property);
    if (!wanted) return ok([]);
    const createdAfter = m.createdAfter ?? new Date(Date.now() - 365 * 86_400_000).toISOString();
    let candidates: SkySlopeFile[] = [];
    for (let page: number | null = 1; page !== null && page <= 20; ) {
      // The export matches a substring of the whole address; the street alone survives a direction.
      const r: Result<{ files: SkySlopeFile[]; nextPage: number | null }> = await this.listFiles({
        type: "sale",
        createdAfter,
        propertyAddress: m.property.streetAddress,
        pageNumber: page,
      });
      if (!r.ok) return r;
      candidates = candidates.concat(r.value.files);
      page = r.value.nextPage;
    }
    const mls = (s: string | null | undefined) => (s ?? "").trim().toLowerCase();
    const hits = candidates.filter(
      (f) =>
        f.objectType === "sale" &&
        f.saleGuid &&
        addressKey(f.property) === wanted &&
        (!m.agentGuid || !f.agentGuid || f.agentGuid === m.agentGuid) &&
        (!mls(m.mlsNumber) || !mls(f.mlsNumber) || mls(f.mlsNumber) === mls(m.mlsNumber)),
    );
    hits.sort((a, b) => (b.createdOn ?? "").localeCompare(a.createdOn ?? ""));
    return ok([...new Set(hits.map((f) => f.saleGuid as string))]);
  }

  /** A cheap authenticated call for health checks. */
  async ping(): Promise<Result<true>> {
    const r = await vendorRequest<unknown>(this.conn, { method: "GET", path: "/api/offices" });
    return r.ok ? ok(true) : r;
  }
}
