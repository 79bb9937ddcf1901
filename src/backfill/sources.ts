/**
 * Reading the vendors for the backfill: one page per call, GET only, each record normalized with
 * the hub's own mappers and normalizers into the small shapes the linker compares. Every call goes
 * through the connection's gate (vendorRequest), so the backfill is paced like the rest of the hub.
 */
import * as z from "../lib/zod";
import type { Deal, Person, PostalAddress } from "../canonical";
import type { BrokerageConfig } from "../config/brokerage";
import { ok, permanent, type Result } from "../lib/result";
import { mapDotloopLoop, mapSkySlopeSale } from "../mapping";
import { normalizeAddress, normalizeEmail, normalizePhone, splitFullName } from "../normalize";
import { DotloopTms } from "../vendors/dotloop/tms";
import { FollowUpBossClient } from "../vendors/followupboss/client";
import { fubPersonToCanonical } from "../vendors/followupboss/crm";
import type { FubPipeline } from "../vendors/followupboss/schemas";
import { QuickBooksClient } from "../vendors/quickbooks/client";
import { SkySlopeClient } from "../vendors/skyslope/client";
import { utcInstant } from "../vendors/skyslope/time";
import type { Connection } from "../vendors/shared/transport";
import { mappedTransaction } from "../vendors/tms";

/** A person as one system holds it, reduced to what linking compares. */
export interface SourcePerson {
  system: string;
  kind: "person" | "customer";
  externalId: string;
  at: string;
  firstName?: string;
  lastName?: string;
  emails: string[];
  phones: string[];
  address?: PostalAddress;
}

/** A CRM deal or a TMS transaction, reduced to what linking compares. */
export interface SourceDeal {
  system: string;
  kind: "deal" | "transaction";
  externalId: string;
  at: string;
  name?: string;
  stage?: string;
  priceCents?: number;
  closingDate?: string;
  address?: PostalAddress;
  /** The CRM person the deal belongs to. */
  personExternalId?: string;
  /** The TMS transaction's buyer (or seller, for a listing). */
  client?: SourcePerson;
  /** The TMS id the hub (or someone) already wrote on the CRM deal. */
  transactionId?: string;
}

export interface SourcePage {
  people: SourcePerson[];
  deals: SourceDeal[];
  /** The cursor of the next page, or null when this was the last. */
  next: string | null;
  /** How many records the vendor says the resource holds, when it says. */
  total: number | null;
  /** Vendor calls this page took. */
  calls: number;
}

const emailsOf = (raw: Array<string | null | undefined>) => [
  ...new Set(raw.flatMap((e) => (e ? [normalizeEmail(e)] : [])).flatMap((n) => (n.ok ? [n.value] : []))),
];
const phonesOf = (raw: Array<string | null | undefined>) => [
  ...new Set(raw.flatMap((p) => (p ? [normalizePhone(p)] : [])).flatMap((n) => (n.ok ? [n.e164] : []))),
];

function addressOf(parts: {
  street?: string | null;
  city?: string | null;
  state?: string | null;
  zip?: string | null;
}): PostalAddress | undefined {
  if (!parts.street) return undefined;
  const n = normalizeAddress({
    street: parts.street,
    ...(parts.city ? { city: parts.city } : {}),
    ...(parts.state ? { state: parts.state } : {}),
    ...(parts.zip ? { zip: parts.zip } : {}),
  });
  return n.ok ? n.value : undefined;
}

function fromCanonicalPerson(system: string, kind: "person" | "customer", externalId: string, at: string, p: Person): SourcePerson {
  return {
    system,
    kind,
    externalId,
    at,
    ...(p.firstName ? { firstName: p.firstName } : {}),
    ...(p.lastName ? { lastName: p.lastName } : {}),
    emails: p.emails.map((e) => e.value),
    phones: p.phones.map((x) => x.value),
    ...(p.address ? { address: p.address } : {}),
  };
}

const FubAddress = z.looseObject({
  street: z.nullish(z.string()),
  city: z.nullish(z.string()),
  state: z.nullish(z.string()),
  code: z.nullish(z.string()),
});

/** Follow Up Boss people, oldest id first (a stable order while agents keep working). */
export async function fubPeoplePage(conn: Connection, cursor: string | null): Promise<Result<SourcePage>> {
  const client = new FollowUpBossClient(conn);
  const r = await client.listPeople({ limit: 100, sort: "id", ...(cursor ? { next: cursor } : {}) });
  if (!r.ok) return r;
  const people = r.value.people.map((p) => {
    const canonical = fubPersonToCanonical(p);
    const addr = z.array(FubAddress).safeParse((p as Record<string, unknown>).addresses);
    const first = addr.success ? addr.data[0] : undefined;
    const address = first
      ? addressOf({ street: first.street ?? null, city: first.city ?? null, state: first.state ?? null, zip: first.code ?? null })
      : undefined;
    return {
      ...fromCanonicalPerson(conn.config.vendor, "person", String(p.id), p.updated ?? new Date(0).toISOString(), canonical),
      ...(address ? { address } : {}),
    };
  });
  return ok({ people, deals: [], next: r.value.next, total: r.value.total, calls: 1 });
}

/** Follow Up Boss stage ids → names, through the pipelines (read once per reader message). */
export async function fubStageNames(conn: Connection): Promise<Result<Map<number, string>>> {
  const pipelines = await new FollowUpBossClient(conn).listPipelines();
  if (!pipelines.ok) return pipelines;
  return ok(new Map(pipelines.value.flatMap((p: FubPipeline) => p.stages.map((s) => [s.id, s.name] as const))));
}

/** Follow Up Boss deals, oldest id first, with their stage named through the pipelines. */
export async function fubDealsPage(
  conn: Connection,
  config: BrokerageConfig,
  cursor: string | null,
  stageName: Map<number, string>,
): Promise<Result<SourcePage>> {
  const client = new FollowUpBossClient(conn);
  const page = await client.listDeals({ limit: 100, sort: "id", ...(cursor ? { next: cursor } : {}) });
  if (!page.ok) return page;
  const stages = config.stages.followupboss ?? {};
  const deals = page.value.deals.map((d): SourceDeal => {
    const vendorStage = d.stageName ?? (d.stageId != null ? stageName.get(d.stageId) : undefined);
    const stage = vendorStage ? stages[vendorStage] : undefined;
    const personId = [...(d.peopleIds ?? []), ...(d.people ?? []).map((p) => p.id)][0];
    const written = (d as Record<string, unknown>)[config.transactionIdField];
    return {
      system: conn.config.vendor,
      kind: "deal",
      externalId: String(d.id),
      at: d.updated ?? d.updatedAt ?? new Date(0).toISOString(),
      name: d.name,
      ...(stage ? { stage } : {}),
      ...(typeof d.price === "number" && d.price > 0 ? { priceCents: Math.round(d.price * 100) } : {}),
      ...(personId !== undefined ? { personExternalId: String(personId) } : {}),
      ...(typeof written === "string" && written.trim() ? { transactionId: written.trim() } : {}),
    };
  });
  return ok({ people: [], deals, next: page.value.next, total: page.value.total, calls: 1 });
}

/** The client of a transaction (buyer, else seller) and the deal's comparable fields. */
function fromCanonicalDeal(system: string, externalId: string, at: string, deal: Deal): SourceDeal {
  const party =
    deal.participants.find((p) => p.role === "buyer" && p.person) ?? deal.participants.find((p) => p.role === "seller" && p.person);
  const client = party?.person ? fromCanonicalPerson(system, "person", `${externalId}:${party.role}`, at, party.person) : undefined;
  return {
    system,
    kind: "transaction",
    externalId,
    at,
    ...(deal.name ? { name: deal.name } : {}),
    ...(deal.stage ? { stage: deal.stage } : {}),
    ...(deal.purchasePrice !== undefined ? { priceCents: deal.purchasePrice } : {}),
    ...((deal.dates.actualClosing ?? deal.dates.estimatedClosing)
      ? { closingDate: (deal.dates.actualClosing ?? deal.dates.estimatedClosing) as string }
      : {}),
    ...(deal.property?.address ? { address: deal.property.address } : {}),
    ...(client ? { client } : {}),
  };
}

/** Loops per page: each costs two more calls (details, participants) under Dotloop's 100 a minute. */
const LOOPS_PER_PAGE = 10;

/** Dotloop loops of the grant's profile, a small batch per page, each with details and participants. */
export async function dotloopPage(conn: Connection, cursor: string | null): Promise<Result<SourcePage>> {
  const tms = new DotloopTms(conn);
  const pid = await tms.profileId();
  if (!pid.ok) return pid;
  const batch = cursor ? Number(cursor) : 1;
  const list = await tms.client.listLoops(pid.value, { batchNumber: batch, batchSize: LOOPS_PER_PAGE, sort: "created:asc" });
  if (!list.ok) return list;
  const deals: SourceDeal[] = [];
  for (const loop of list.value.loops) {
    const [details, participants] = await Promise.all([
      tms.client.getLoopDetails(pid.value, loop.id),
      tms.client.listParticipants(pid.value, loop.id),
    ]);
    if (!details.ok) return details;
    if (!participants.ok) return participants;
    const mapped = mappedTransaction(
      mapDotloopLoop(loop, details.value, participants.value, { deliveryId: `backfill:dotloop:${loop.id}`, receivedAt: Date.now() }),
    );
    // A loop the mapper refuses is left out, unlinked (the id it requires, the list's schema requires too).
    if (typeof mapped === "string") continue;
    deals.push(fromCanonicalDeal("dotloop", loop.id, loop.updated ?? new Date(0).toISOString(), mapped));
  }
  return ok({
    people: [],
    deals,
    next: list.value.nextBatch === null ? null : String(list.value.nextBatch),
    total: list.value.total,
    calls: 1 + 2 * list.value.loops.length,
  });
}

/** SkySlope sales, a page at a time; a sale carries its buyers and property inline. */
export async function skySlopePage(conn: Connection, cursor: string | null): Promise<Result<SourcePage>> {
  const client = new SkySlopeClient(conn);
  const r = await client.listSales({ pageNumber: cursor ? Number(cursor) : 1 });
  if (!r.ok) return r;
  const deals: SourceDeal[] = [];
  for (const sale of r.value.sales) {
    const mapped = mappedTransaction(mapSkySlopeSale(sale, { deliveryId: `backfill:skyslope:${sale.saleGuid}`, receivedAt: Date.now() }));
    if (typeof mapped === "string") continue; // as for loops (the guid is required by both)
    const at = sale.modifiedOn ? utcInstant(sale.modifiedOn) : new Date(0).toISOString();
    deals.push(fromCanonicalDeal("skyslope", sale.saleGuid, at, mapped));
  }
  return ok({ people: [], deals, next: r.value.nextPage === null ? null : String(r.value.nextPage), total: null, calls: 1 });
}

const QboCustomerRow = z.looseObject({
  Id: z.string(),
  DisplayName: z.nullish(z.string()),
  GivenName: z.nullish(z.string()),
  FamilyName: z.nullish(z.string()),
  PrimaryEmailAddr: z.nullish(z.looseObject({ Address: z.nullish(z.string()) })),
  PrimaryPhone: z.nullish(z.looseObject({ FreeFormNumber: z.nullish(z.string()) })),
  Mobile: z.nullish(z.looseObject({ FreeFormNumber: z.nullish(z.string()) })),
  BillAddr: z.nullish(
    z.looseObject({
      Line1: z.nullish(z.string()),
      City: z.nullish(z.string()),
      CountrySubDivisionCode: z.nullish(z.string()),
      PostalCode: z.nullish(z.string()),
    }),
  ),
  MetaData: z.nullish(z.looseObject({ LastUpdatedTime: z.nullish(z.string()) })),
});

export const CUSTOMERS_PER_PAGE = 100;

/** QuickBooks customers by query, STARTPOSITION paging (1-based); the first page also counts them. */
export async function quickBooksCustomersPage(conn: Connection, cursor: string | null): Promise<Result<SourcePage>> {
  const client = new QuickBooksClient(conn);
  const start = cursor ? Number(cursor) : 1;
  const r = await client.query(`select * from Customer startposition ${start} maxresults ${CUSTOMERS_PER_PAGE}`);
  if (!r.ok) return r;
  const rows = z.array(QboCustomerRow).safeParse(r.value.Customer ?? []);
  if (!rows.success)
    return permanent("vendor_unexpected_response", `query Customer: ${rows.error.issues[0]?.message ?? "invalid"}`, {
      vendor: "quickbooks",
    });
  let total: number | null = null;
  let calls = 1;
  if (start === 1) {
    const count = await client.query("select count(*) from Customer");
    calls++;
    if (count.ok && typeof count.value.totalCount === "number") total = count.value.totalCount;
  }
  const people = rows.data.map((c): SourcePerson => {
    const split = !c.GivenName && !c.FamilyName && c.DisplayName ? splitFullName(c.DisplayName) : {};
    const first = c.GivenName ?? split.firstName;
    const last = c.FamilyName ?? split.lastName;
    const address = c.BillAddr
      ? addressOf({
          street: c.BillAddr.Line1 ?? null,
          city: c.BillAddr.City ?? null,
          state: c.BillAddr.CountrySubDivisionCode ?? null,
          zip: c.BillAddr.PostalCode ?? null,
        })
      : undefined;
    return {
      system: "quickbooks",
      kind: "customer",
      externalId: c.Id,
      at: c.MetaData?.LastUpdatedTime ?? new Date(0).toISOString(),
      ...(first ? { firstName: first } : {}),
      ...(last ? { lastName: last } : {}),
      emails: emailsOf([c.PrimaryEmailAddr?.Address]),
      phones: phonesOf([c.PrimaryPhone?.FreeFormNumber, c.Mobile?.FreeFormNumber]),
      ...(address ? { address } : {}),
    };
  });
  return ok({ people, deals: [], next: rows.data.length < CUSTOMERS_PER_PAGE ? null : String(start + CUSTOMERS_PER_PAGE), total, calls });
}
