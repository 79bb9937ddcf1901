import * as z from "../../lib/zod";
import { ok, permanent, type Result } from "../../lib/result";
import { vendorRequest, type Connection } from "../shared/transport";
import { FubCustomField, FubDeal, FubMetadata, FubPerson, FubPipeline, type FubEventBody } from "./schemas";

function parse<T>(schema: z.ZodMiniType<T>, data: unknown, what: string): Result<T> {
  const r = schema.safeParse(data);
  return r.success
    ? ok(r.data)
    : permanent("vendor_unexpected_response", `${what}: ${r.error.issues[0]?.message ?? "invalid"}`, { vendor: "followupboss" });
}

const PeoplePage = z.looseObject({ people: z._default(z.array(FubPerson), []), _metadata: z.optional(FubMetadata) });
const DealsPage = z.looseObject({ deals: z._default(z.array(FubDeal), []), _metadata: z.optional(FubMetadata) });

/** A typed Follow Up Boss API v1 client over one connection. */
export class FollowUpBossClient {
  constructor(private readonly conn: Connection) {}

  /**
   * Sends a lead the way FUB wants leads: POST /v1/events. 201 created a person, 200 matched an
   * existing one (FUB dedupes server-side), 204 means the source's lead flow is archived.
   */
  async postEvent(body: FubEventBody): Promise<Result<{ status: number; person: FubPerson | null }>> {
    const r = await vendorRequest<unknown>(this.conn, { method: "POST", path: "/v1/events", json: body });
    if (!r.ok) return r;
    if (r.value.status === 204) return ok({ status: 204, person: null });
    const person = parse(FubPerson, r.value.data, "POST /v1/events");
    return person.ok ? ok({ status: r.value.status, person: person.value }) : person;
  }

  async findPeople(q: { email?: string; phone?: string }): Promise<Result<FubPerson[]>> {
    const r = await vendorRequest<unknown>(this.conn, { method: "GET", path: "/v1/people", query: { ...q, limit: 10 } });
    if (!r.ok) return r;
    const page = parse(PeoplePage, r.value.data, "GET /v1/people");
    return page.ok ? ok(page.value.people) : page;
  }

  async getPerson(id: number): Promise<Result<FubPerson>> {
    const r = await vendorRequest<unknown>(this.conn, { method: "GET", path: `/v1/people/${id}`, query: { fields: "allFields" } });
    return r.ok ? parse(FubPerson, r.value.data, "GET /v1/people/:id") : r;
  }

  async updatePerson(id: number, patch: Record<string, unknown>): Promise<Result<FubPerson>> {
    const r = await vendorRequest<unknown>(this.conn, { method: "PUT", path: `/v1/people/${id}`, json: patch });
    return r.ok ? parse(FubPerson, r.value.data, "PUT /v1/people/:id") : r;
  }

  /**
   * One page of people in `sort` order (default oldest change first); `next` continues. There is
   * no "changed since" filter: FUB's `updatedAfter` is reported to match nothing, so callers sort
   * by `-updated` and stop at their cursor.
   */
  async listPeople(q: {
    limit?: number;
    next?: string;
    sort?: string;
  }): Promise<Result<{ people: FubPerson[]; next: string | null; total: number | null }>> {
    const r = await vendorRequest<unknown>(this.conn, {
      method: "GET",
      path: "/v1/people",
      query: { limit: q.limit ?? 100, next: q.next, sort: q.sort ?? "updated" },
    });
    if (!r.ok) return r;
    const page = parse(PeoplePage, r.value.data, "GET /v1/people");
    return page.ok
      ? ok({ people: page.value.people, next: page.value._metadata?.next ?? null, total: page.value._metadata?.total ?? null })
      : page;
  }

  async getDeal(id: number): Promise<Result<FubDeal>> {
    const r = await vendorRequest<unknown>(this.conn, { method: "GET", path: `/v1/deals/${id}` });
    return r.ok ? parse(FubDeal, r.value.data, "GET /v1/deals/:id") : r;
  }

  async listDeals(q: {
    personId?: number;
    limit?: number;
    next?: string;
    sort?: string;
  }): Promise<Result<{ deals: FubDeal[]; next: string | null; total: number | null }>> {
    const r = await vendorRequest<unknown>(this.conn, {
      method: "GET",
      path: "/v1/deals",
      query: { personId: q.personId, limit: q.limit ?? 100, next: q.next, sort: q.sort },
    });
    if (!r.ok) return r;
    const page = parse(DealsPage, r.value.data, "GET /v1/deals");
    return page.ok
      ? ok({ deals: page.value.deals, next: page.value._metadata?.next ?? null, total: page.value._metadata?.total ?? null })
      : page;
  }

  async updateDeal(id: number, patch: Record<string, unknown>): Promise<Result<FubDeal>> {
    const r = await vendorRequest<unknown>(this.conn, { method: "PUT", path: `/v1/deals/${id}`, json: patch });
    return r.ok ? parse(FubDeal, r.value.data, "PUT /v1/deals/:id") : r;
  }

  /** Deal pipelines with their stages (deal stages live here; /v1/stages lists people stages). */
  async listPipelines(): Promise<Result<FubPipeline[]>> {
    const r = await vendorRequest<unknown>(this.conn, { method: "GET", path: "/v1/pipelines", query: { limit: 100 } });
    if (!r.ok) return r;
    const page = parse(z.looseObject({ pipelines: z._default(z.array(FubPipeline), []) }), r.value.data, "GET /v1/pipelines");
    return page.ok ? ok(page.value.pipelines) : page;
  }

  /** Deal custom field definitions (`name` is the `custom<Label>` key a deal carries). */
  async listDealCustomFields(): Promise<Result<FubCustomField[]>> {
    const r = await vendorRequest<unknown>(this.conn, { method: "GET", path: "/v1/dealCustomFields", query: { limit: 100 } });
    if (!r.ok) return r;
    const page = parse(
      z.looseObject({ dealCustomFields: z._default(z.array(FubCustomField), []) }),
      r.value.data,
      "GET /v1/dealCustomFields",
    );
    return page.ok ? ok(page.value.dealCustomFields) : page;
  }

  async addNote(note: { personId: number; subject?: string; body: string }): Promise<Result<{ id: number }>> {
    const r = await vendorRequest<unknown>(this.conn, { method: "POST", path: "/v1/notes", json: note });
    return r.ok ? parse(z.looseObject({ id: z.number() }), r.value.data, "POST /v1/notes") : r;
  }

  /**
   * The account's custom field definitions: people's (`/v1/customFields`) or deals'
   * (`/v1/dealCustomFields`), each `{name, label, type}` (types text, number, date, dropdown).
   */
  async listCustomFields(of: "person" | "deal"): Promise<Result<Array<{ name: string; label?: string; type?: string }>>> {
    const r = await vendorRequest<unknown>(this.conn, {
      method: "GET",
      path: of === "deal" ? "/v1/dealCustomFields" : "/v1/customFields",
      query: { limit: 100 },
    });
    if (!r.ok) return r;
    // The list's key differs by endpoint (`customfields`, `dealCustomFields`): the one array in the page.
    const page =
      r.value.data && typeof r.value.data === "object"
        ? Object.values(r.value.data as Record<string, unknown>).find(Array.isArray)
        : undefined;
    return parse(
      z.array(z.looseObject({ name: z.string(), label: z.optional(z.string()), type: z.optional(z.string()) })),
      page ?? [],
      `GET custom fields (${of})`,
    );
  }

  /** A cheap authenticated call for health checks. */
  async ping(): Promise<Result<true>> {
    const r = await vendorRequest<unknown>(this.conn, { method: "GET", path: "/v1/stages", query: { limit: 1 } });
    return r.ok ? ok(true) : r;
  }
}
