import type { Deal, DealStage, Person, PersonRole, PostalAddress } from "../../canonical";
import { sha256Hex } from "../../lib/bytes";
import { LOOP_STATUSES, type DotloopRole, type LoopItBody, type ParticipantInput, type TransactionType } from "./schemas";

/** Which side of the deal the brokerage's agent represents. */
export type Side = "buy" | "list" | "lease" | "landlord";

/**
 * The tag the hub puts in every loop name it creates: `DW-` and 10 hex digits of the reference's
 * SHA-256. Dotloop has no field for a foreign key and no search, so the name carries it.
 */
export async function referenceTag(reference: string): Promise<string> {
  return `DW-${(await sha256Hex(reference)).slice(0, 10)}`;
}

function streetName(a: PostalAddress): string | undefined {
  const parts = [a.predirectional, a.street, a.suffix, a.postdirectional].filter(Boolean);
  return parts.length ? parts.join(" ") : undefined;
}

/** "12 Oak Ln, Springfield, IL 62701" — how agents name loops. */
export function addressLine(a: PostalAddress | undefined): string | undefined {
  if (!a) return undefined;
  const unit = a.unitId ? (a.unitType ? `${a.unitType} ${a.unitId}` : `#${a.unitId}`) : undefined;
  const street = [a.number, streetName(a), unit].filter(Boolean).join(" ");
  const cityLine = [a.city, [a.state, a.zip].filter(Boolean).join(" ")].filter(Boolean).join(", ");
  const line = [street, cityLine].filter(Boolean).join(", ");
  return line || undefined;
}

/** The loop name: the property address (or the deal's name) and the reference tag. */
export function loopName(deal: Deal, tag: string): string {
  const base = addressLine(deal.property?.address) ?? deal.name ?? "Deal";
  const suffix = ` [${tag}]`;
  return base.slice(0, 200 - suffix.length) + suffix;
}

/** The side from the parties present, when the caller does not say. */
export function sideOf(deal: Deal): Side {
  const roles = new Set(deal.participants.map((p) => p.role));
  if (roles.has("buyer")) return "buy";
  if (roles.has("tenant")) return "lease";
  if (roles.has("seller")) return "list";
  if (roles.has("landlord")) return "landlord";
  return "buy";
}

const TYPE_OF_SIDE: Record<Side, TransactionType> = {
  buy: "PURCHASE_OFFER",
  list: "LISTING_FOR_SALE",
  lease: "LEASE_OFFER",
  landlord: "LISTING_FOR_LEASE",
};

export function transactionTypeFor(side: Side): TransactionType {
  return TYPE_OF_SIDE[side];
}

/**
 * The loop status a canonical stage means, within what the transaction type allows: the
 * brokerage's own status map first (the first status it maps to the stage that the type allows),
 * else the published statuses' reading.
 */
export function loopStatusFor(
  type: TransactionType,
  stage: DealStage | undefined,
  named: Readonly<Record<string, DealStage>> = {},
): string {
  const allowed: readonly string[] = LOOP_STATUSES[type];
  const own = Object.entries(named).find(([status, s]) => s === (stage ?? "lead") && allowed.includes(status))?.[0];
  if (own) return own;
  const offer = allowed.includes("PRE_OFFER");
  const done = allowed.includes("SOLD") ? "SOLD" : allowed.includes("LEASED") ? "LEASED" : "DONE";
  const byStage: Record<DealStage, string> = {
    lead: offer ? "PRE_OFFER" : "PRE_LISTING",
    active: offer ? "PRE_OFFER" : "ACTIVE_LISTING",
    showing: offer ? "PRE_OFFER" : "ACTIVE_LISTING",
    offer: offer ? "PRE_OFFER" : "ACTIVE_LISTING",
    under_contract: "UNDER_CONTRACT",
    closed: done,
    cancelled: "ARCHIVED",
    archived: "ARCHIVED",
  };
  const status = byStage[stage ?? "lead"];
  return allowed.includes(status) ? status : (allowed[0] ?? "NEW");
}

/** Canonical role → Dotloop role; the co-op agent and attorneys depend on the side. */
export function dotloopRole(role: PersonRole, side: Side): DotloopRole {
  const buying = side === "buy" || side === "lease";
  switch (role) {
    case "buyer":
      return "BUYER";
    case "seller":
      return "SELLER";
    case "tenant":
      return "TENANT";
    case "landlord":
      return "LANDLORD";
    case "listing_agent":
      return "LISTING_AGENT";
    case "buying_agent":
      return side === "lease" ? "TENANT_AGENT" : "BUYING_AGENT";
    case "co_op_agent":
      return buying ? "LISTING_AGENT" : side === "landlord" ? "TENANT_AGENT" : "BUYING_AGENT";
    case "attorney":
      return buying ? "BUYER_ATTORNEY" : "SELLER_ATTORNEY";
    case "lender":
      return "LOAN_OFFICER";
    case "escrow":
      return "ESCROW_TITLE_REP";
    default:
      return "OTHER";
  }
}

/** The name Dotloop shows for a person; falls back to the email since `fullName` is required. */
export function fullNameOf(p: Pick<Person, "firstName" | "middleName" | "lastName" | "suffix" | "emails">): string | undefined {
  const name = [p.firstName, p.middleName, p.lastName, p.suffix].filter(Boolean).join(" ");
  return name || p.emails[0]?.value;
}

/** A participant's contact fields from a canonical person, or null when nothing names them. */
export function participantFields(person: Person): Omit<ParticipantInput, "role"> | null {
  const fullName = fullNameOf(person);
  if (!fullName) return null;
  const email = person.emails[0]?.value;
  const phone = person.phones[0]?.value;
  return { fullName, ...(email ? { email } : {}), ...(phone ? { phone } : {}) };
}

/** A participant from a canonical person in a role, or null when nothing names them. */
export function personToParticipant(person: Person, role: DotloopRole): ParticipantInput | null {
  const fields = participantFields(person);
  return fields ? { ...fields, role } : null;
}

function participantsOf(deal: Deal, side: Side): Array<Pick<ParticipantInput, "fullName" | "email" | "role">> {
  const out: Array<Pick<ParticipantInput, "fullName" | "email" | "role">> = [];
  for (const p of deal.participants) {
    const input = p.person ? personToParticipant(p.person, dotloopRole(p.role, side)) : null;
    if (input) out.push({ fullName: input.fullName, role: input.role, ...(input.email ? { email: input.email } : {}) });
  }
  const agent = deal.agent;
  const agentName = agent?.name ?? agent?.email;
  const known = (email: string | undefined) => email !== undefined && out.some((p) => p.email === email);
  if (agent && agentName && !known(agent.email)) {
    const role: DotloopRole = side === "buy" ? "BUYING_AGENT" : side === "lease" ? "TENANT_AGENT" : "LISTING_AGENT";
    out.push({ fullName: agentName, role, ...(agent.email ? { email: agent.email } : {}) });
  }
  return out;
}

/** The Loop-It body for a canonical deal: loop, property address and participants at once. */
export function dealToLoopIt(
  deal: Deal,
  opts: { tag: string; side?: Side; templateId?: number; statuses?: Readonly<Record<string, DealStage>> },
): LoopItBody {
  const side = opts.side ?? sideOf(deal);
  const transactionType = transactionTypeFor(side);
  const a = deal.property?.address;
  const street = a ? streetName(a) : undefined;
  return {
    name: loopName(deal, opts.tag),
    transactionType,
    status: loopStatusFor(transactionType, deal.stage, opts.statuses),
    ...(a?.number ? { streetNumber: a.number } : {}),
    ...(street ? { streetName: street } : {}),
    ...(a?.unitId ? { unit: a.unitId } : {}),
    ...(a?.city ? { city: a.city } : {}),
    ...(a?.state ? { state: a.state } : {}),
    ...(a?.zip ? { zipCode: a.zip } : {}),
    ...(a ? { country: "US" } : {}),
    ...(deal.property?.mlsId ? { mlsPropertyId: deal.property.mlsId } : {}),
    ...(opts.templateId !== undefined ? { templateId: opts.templateId } : {}),
    participants: participantsOf(deal, side),
  };
}

/** Dollars as Dotloop's detail strings write them: "425000", "425000.50". */
export function dollars(cents: number): string {
  return cents % 100 === 0 ? String(cents / 100) : (cents / 100).toFixed(2);
}

/** ISO date (or instant) → Dotloop's "MM/DD/YYYY"; the calendar date as the source wrote it. */
export function usDate(iso: string | undefined): string | undefined {
  const m = iso ? /^(\d{4})-(\d{2})-(\d{2})/.exec(iso) : null;
  return m ? `${m[2]}/${m[3]}/${m[1]}` : undefined;
}

function section(fields: Record<string, string | undefined>): Record<string, string> | undefined {
  const defined = Object.entries(fields).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== "");
  return defined.length ? Object.fromEntries(defined) : undefined;
}

/** Loop details (label-keyed sections) for what the deal knows; empty sections are left out. */
export function dealToLoopDetails(deal: Deal): Record<string, Record<string, string>> {
  const p = deal.property;
  const c = deal.commission;
  const num = (n: number | undefined) => (n === undefined ? undefined : String(n));
  const money = (n: number | undefined) => (n === undefined ? undefined : dollars(n));
  const sections: Record<string, Record<string, string> | undefined> = {
    "Property Address": section({ "MLS Number": p?.mlsId }),
    Financials: section({
      "Purchase/Sale Price": money(deal.purchasePrice),
      "Sale Commission Total": money(c?.grossCents),
      "Sale Commission Rate": num(c?.ratePercent),
    }),
    "Contract Dates": section({
      "Contract Agreement Date": usDate(deal.dates.contract),
      "Closing Date": usDate(deal.dates.actualClosing ?? deal.dates.estimatedClosing),
    }),
    "Listing Information": section({
      "Listing Date": usDate(deal.dates.listing),
      "Expiration Date": usDate(deal.dates.expiration),
      "Current Price": money(p?.price),
    }),
    Property: section({ Bedrooms: num(p?.beds), Bathrooms: num(p?.baths), "Square Footage": num(p?.areaSqft), Type: p?.propertyType }),
  };
  return Object.fromEntries(Object.entries(sections).filter((e): e is [string, Record<string, string>] => e[1] !== undefined));
}

/**
 * The loop-detail labels the hub's own mapping reads and writes (`section / label`): the mapping
 * audit shows the other labels holding values as candidates for the brokerage's own fields.
 */
export const DOTLOOP_STANDARD_LABELS: ReadonlySet<string> = new Set([
  ...["Country", "Street Number", "Street Name", "Unit Number", "City", "State/Prov", "Zip/Postal Code", "County", "MLS Number"].map(
    (l) => `Property Address / ${l}`,
  ),
  "Financials / Purchase/Sale Price",
  "Financials / Sale Commission Total",
  "Financials / Sale Commission Rate",
  "Contract Dates / Contract Agreement Date",
  "Contract Dates / Closing Date",
  "Listing Information / Listing Date",
  "Listing Information / Expiration Date",
  "Listing Information / Current Price",
  "Property / Bedrooms",
  "Property / Bathrooms",
  "Property / Square Footage",
  "Property / Type",
]);
