import { ok, permanent, type Result } from "../../lib/result";
import { vendorRequest, type Connection } from "../shared/transport";
import { ResoPage } from "./schemas";

/** Where a page comes from: a query the hub builds, or the server's own `@odata.nextLink`. */
export type PageRef = { resource: string; query: Record<string, string> } | { nextLink: string };

/** A quoted OData string literal (`'` doubled). */
export const odataString = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** A typed RESO Web API client over one connection; every call goes through the connection's gate. */
export class ResoClient {
  constructor(private readonly conn: Connection) {}

  /**
   * One page. A next link is followed only under the connection's base URL: the bearer token is
   * never sent to a host the brokerage did not configure. The link given back is absolute: OData
   * (JSON Format §4.3) lets it be relative to the context URL, `$metadata` at the service root.
   */
  async page(ref: PageRef): Promise<Result<{ records: Array<Record<string, unknown>>; nextLink: string | null; bytes: number }>> {
    let path: string;
    let query: Record<string, string> | undefined;
    const root = new URL(`${this.conn.config.baseUrl.replace(/\/$/, "")}/`).href;
    if ("nextLink" in ref) {
      if (!ref.nextLink.startsWith(root)) {
        return permanent("reso_next_link_foreign", `nextLink leaves ${root}`, { vendor: "reso" });
      }
      path = `/${ref.nextLink.slice(root.length)}`;
    } else {
      path = `/${ref.resource}`;
      query = ref.query;
    }
    const r = await vendorRequest<unknown>(this.conn, { method: "GET", path, ...(query ? { query } : {}) });
    if (!r.ok) return r;
    const parsed = ResoPage.safeParse(r.value.data);
    if (!parsed.success)
      return permanent("vendor_unexpected_response", `page: ${parsed.error.issues[0]?.message ?? "invalid"}`, { vendor: "reso" });
    const bytes = JSON.stringify(r.value.data).length;
    const next = parsed.data["@odata.nextLink"];
    return ok({ records: parsed.data.value, nextLink: next ? new URL(next, root).href : null, bytes });
  }

  /** `$top=1` on Property: the cheap authenticated call for health checks. */
  async ping(): Promise<Result<true>> {
    const r = await vendorRequest<unknown>(this.conn, { method: "GET", path: "/Property", query: { $top: "1", $select: "ListingKey" } });
    return r.ok ? ok(true) : r;
  }
}
