/**
 * SkySlope files: sales and listings (`/api/files/sales`, `/api/files/listings`: create answers
 * `value` with the guid and `links`; lists page by `pageNumber` with a `links[]` rel "next";
 * GET/PUT by guid; buyer/seller contacts) and the bulk export `/api/files` of both kinds.
 */
import { Hono } from "hono";
import type { Context } from "hono";
import type { VendorCtx, VendorEnv } from "../core/context";
import { asObject, json, num, readJson, str } from "../lib/http";
import { isoNaive, parseTime } from "../lib/time";
import { skyslopeError } from "./auth";
import type { ChecklistType, Office, User } from "./data";

type Kind = "sale" | "listing";
export type FileRecord = Record<string, unknown> & { objectType: Kind; createdOn: string; modifiedOn: string; agentGuid: string };

const PAGE_SIZE = 25;
const GUID_KEY: Record<Kind, string> = { sale: "saleGuid", listing: "listingGuid" };
const PLURAL: Record<Kind, string> = { sale: "sales", listing: "listings" };
const UPDATABLE: Record<Kind, string[]> = {
  sale: [
    "actualClosingDate",
    "apn",
    "commercialLease",
    "contractAcceptanceDate",
    "escrowClosingDate",
    "escrowNumber",
    "fileId",
    "isOfficeLead",
    "listingPrice",
    "mlsNumber",
    "otherSource",
    "salePrice",
    "sourceId",
    "property",
    "customFields",
    "commission",
  ],
  listing: [
    "listingPrice",
    "listingDate",
    "expirationDate",
    "mlsNumber",
    "otherSource",
    "sourceId",
    "property",
    "customFields",
    "commission",
    "fileId",
  ],
};

/**
 * The keys of SkySlope's own `customFields` object (a client library maps exactly these); others
 * are dropped, so nothing can count on a key of its own surviving there.
 */
const CUSTOM_FIELDS = ["conciergeProjectNumber", "isConcierge", "serviceType"];

function customFields(v: unknown): Record<string, unknown> {
  const o = asObject(v) ?? {};
  return Object.fromEntries(CUSTOM_FIELDS.filter((k) => k in o).map((k) => [k, o[k]]));
}

/**
 * A create's links as SkySlope's sample shows them: API hrefs relative to the base without a
 * leading slash, then the file's page in the UI, absolute, `rel: "SkySlope"`, `method: null`.
 * The sample is a listing's; a sale's UI page name is assumed by analogy.
 */
function createLinks(kind: Kind, guid: string, fileId: number): Array<{ href: string; rel: string; method: string | null }> {
  const base = `api/files/${PLURAL[kind]}/${guid}`;
  const form = kind === "sale" ? "updateSaleForm" : "updateListingForm";
  return [
    { href: base, rel: kind, method: "GET" },
    { href: `${base}/${form}`, rel: `${kind}:updateForm`, method: "GET" },
    { href: base, rel: kind, method: "PUT" },
    {
      href: `https://app.skyslope.com/${kind === "sale" ? "CreateSale" : "CreateListing"}.aspx?id=${fileId}`,
      rel: "SkySlope",
      method: null,
    },
  ];
}

function links(kind: Kind, guid: string): Array<{ rel: string; href: string; method: string }> {
  const base = `/api/files/${PLURAL[kind]}/${guid}`;
  return [
    { rel: "self", href: base, method: "GET" },
    { rel: "requiredFields", href: `${base}/requiredFields`, method: "GET" },
    { rel: "ui", href: `https://app.skyslope.com/file-details/${guid}`, method: "GET" },
  ];
}

function address(p: unknown): string {
  const o = asObject(p) ?? {};
  return [o["streetNumber"], o["direction"], o["streetAddress"], o["unit"], o["city"], o["state"], o["zip"]]
    .filter((x) => typeof x === "string" && x !== "")
    .join(" ");
}

function create(vs: VendorCtx, kind: Kind, o: Record<string, unknown>): FileRecord | string {
  const agent = vs.store.get<User>("user", str(o["agentGuid"]) ?? "");
  if (!agent) return "agentGuid is required and must be a user of this account.";
  const checklist = vs.store.get<ChecklistType>("checklistType", String(o["checklistTypeId"] ?? ""));
  if (!checklist) return "checklistTypeId is required and must be a checklist type of the office.";
  if (asObject(o["property"]) === null) return "property is required.";
  const office = vs.store.get<Office>("office", str(o["officeGuid"]) ?? agent.officeGuid);
  const now = isoNaive(vs.now());
  const guid = vs.rng.uuid();
  const common = {
    objectType: kind,
    agentGuid: agent.userGuid,
    createdByGuid: agent.userGuid,
    mlsNumber: str(o["mlsNumber"]) ?? "",
    status: "Incomplete",
    statusId: 59,
    officeId: office?.officeId ?? null,
    officeGuid: office?.officeGuid ?? null,
    checklistType: checklist.name,
    source: null,
    otherSource: str(o["otherSource"]) ?? null,
    property: o["property"],
    commission: asObject(o["commission"]),
    email: `${vs.rng.hex(8)}@files.skyslope.test`,
    sellers: [],
    stage: { id: 1, name: "Pre-Contract" },
    coAgentGuids: null,
    agent: { firstName: agent.firstName, lastName: agent.lastName, email: agent.email, userGuid: agent.userGuid },
    coAgents: null,
    customFields: customFields(o["customFields"]),
    createdOn: now,
    modifiedOn: now,
    miscContact: null,
    commercialLease: asObject(o["commercialLease"]),
  };
  if (kind === "sale") {
    return {
      ...common,
      saleGuid: guid,
      listingGuid: str(o["listingGuid"]) ?? null,
      escrowNumber: str(o["escrowNumber"]) ?? "",
      escrowClosingDate: str(o["escrowClosingDate"]) ?? null,
      actualClosingDate: null,
      contractAcceptanceDate: str(o["contractAcceptanceDate"]) ?? null,
      dealType: "Purchase / Tenant",
      listingPrice: num(o["listingPrice"]) ?? 0,
      salePrice: num(o["salePrice"]) ?? 0,
      isOfficeLead: o["isOfficeLead"] === true,
      coBrokerCompany: null,
      buyers: [],
      titleContact: null,
      escrowContact: null,
      attorneyContact: [],
      lenderContact: null,
      otherSideAgentContact: null,
      homeWarrantyContact: null,
      commissionBreakdowns: [],
      commissionSplits: [],
      commissionReferral: null,
      earnestMoneyDeposit: null,
    };
  }
  return {
    ...common,
    listingGuid: guid,
    coListingAgentGuid: null,
    referringAgentGuid: null,
    type: checklist.name,
    listingDate: str(o["listingDate"]) ?? null,
    expirationDate: str(o["expirationDate"]) ?? null,
    fileId: str(o["fileId"]) ?? "",
    company: null,
    listingPrice: num(o["listingPrice"]) ?? 0,
    homeWarranty: null,
  };
}

type C = Context<VendorEnv>;

function findFile(c: C, kind: Kind): FileRecord | undefined {
  return c.env.vs.store.get<FileRecord>(kind, c.req.param("guid") ?? "");
}

export const fileRoutes = new Hono<VendorEnv>();

for (const kind of ["sale", "listing"] as const) {
  const base = `/skyslope/api/files/${PLURAL[kind]}`;

  fileRoutes.post(base, async (c) => {
    const read = await readJson(c.req.raw);
    const o = read.ok ? asObject(read.value) : null;
    if (o === null) return skyslopeError(400, "The request body is not valid JSON.");
    const rec = create(c.env.vs, kind, o);
    if (typeof rec === "string") return skyslopeError(400, rec);
    const guid = String(rec[GUID_KEY[kind]]);
    c.env.vs.store.put<FileRecord>(kind, guid, rec);
    const fileId = c.env.vs.store.seq("skyslope:fileId", 4_908_492);
    return json({ value: { [GUID_KEY[kind]]: guid }, warnings: [], links: createLinks(kind, guid, fileId) });
  });

  fileRoutes.get(base, (c) => {
    const q = new URL(c.req.url).searchParams;
    const page = Math.max(1, Number(q.get("pageNumber") ?? 1) || 1);
    const earliest = parseTime(q.get("earliestDate"));
    const latest = parseTime(q.get("latestDate"));
    const all = c.env.vs.store.all<FileRecord>(kind).filter((f) => {
      const created = Date.parse(`${f.createdOn}Z`);
      if (q.get("agentGuid") && f.agentGuid !== q.get("agentGuid")) return false;
      if (q.get("createdByGuid") && f["createdByGuid"] !== q.get("createdByGuid")) return false;
      if (earliest !== undefined && created < earliest) return false;
      return latest === undefined || created <= latest;
    });
    const items = all
      .slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE)
      .map((f) => ({ ...f, propertyAddress: address(f["property"]), link: links(kind, String(f[GUID_KEY[kind]]))[0] }));
    const pageLinks = [];
    if (page * PAGE_SIZE < all.length) {
      const next = new URLSearchParams(q);
      next.set("pageNumber", String(page + 1));
      pageLinks.push({ rel: "next", href: `/api/files/${PLURAL[kind]}?${next.toString()}`, method: "GET" });
    }
    return json({ value: { [PLURAL[kind]]: items }, links: pageLinks });
  });

  fileRoutes.get(`${base}/:guid`, (c) => {
    const f = findFile(c, kind);
    return f ? json({ value: { [kind]: f }, links: links(kind, c.req.param("guid")) }) : skyslopeError(404, `${kind} not found.`);
  });

  fileRoutes.put(`${base}/:guid`, async (c) => {
    const vs = c.env.vs;
    const f = findFile(c, kind);
    if (!f) return skyslopeError(404, `${kind} not found.`);
    const read = await readJson(c.req.raw);
    const o = read.ok ? asObject(read.value) : null;
    if (o === null) return skyslopeError(400, "The request body is not valid JSON.");
    const patch = Object.fromEntries(
      Object.entries(o)
        .filter(([k]) => UPDATABLE[kind].includes(k))
        .map(([k, v]) => [k, k === "customFields" ? { ...customFields(f["customFields"]), ...customFields(v) } : v]),
    );
    const next: FileRecord = { ...f, ...patch, modifiedOn: isoNaive(vs.now()) };
    vs.store.put<FileRecord>(kind, c.req.param("guid"), next);
    return json({ value: { [kind]: next }, links: links(kind, c.req.param("guid")) });
  });

  for (const [path, field] of [
    ["buyerContact", "buyers"],
    ["sellerContact", "sellers"],
  ] as const) {
    if (kind === "listing" && field === "buyers") continue;
    fileRoutes.post(`${base}/:guid/${path}`, async (c) => {
      const vs = c.env.vs;
      const f = findFile(c, kind);
      if (!f) return skyslopeError(404, `${kind} not found.`);
      const read = await readJson(c.req.raw);
      const o = read.ok ? asObject(read.value) : null;
      if (o === null || (str(o["firstName"]) === undefined && str(o["lastName"]) === undefined && str(o["company"]) === undefined)) {
        return skyslopeError(400, "A contact needs a firstName, lastName or company.");
      }
      const contact = { ...o, contactGuid: vs.rng.uuid() };
      const list = Array.isArray(f[field]) ? (f[field] as unknown[]) : [];
      vs.store.put<FileRecord>(kind, c.req.param("guid"), { ...f, [field]: [...list, contact], modifiedOn: isoNaive(vs.now()) });
      return json({ value: { contactGuid: contact.contactGuid } });
    });
  }
}

fileRoutes.get("/skyslope/api/files", (c) => {
  const vs = c.env.vs;
  const q = new URL(c.req.url).searchParams;
  const t = (k: string) => parseTime(q.get(k));
  const dated = ["createdAfter", "createdBefore", "modifiedAfter", "modifiedBefore", "closedAfter", "closedBefore"].some(
    (k) => q.get(k) !== null,
  );
  // With no date filter the export covers the last seven days.
  const createdAfter = t("createdAfter") ?? (dated ? undefined : vs.now() - 7 * 86_400_000);
  const at = (s: unknown) => (typeof s === "string" && s !== "" ? Date.parse(/Z|[+-]\d\d:\d\d$/.test(s) ? s : `${s}Z`) : NaN);
  const within = (v: number, after?: number, before?: number) =>
    (after === undefined || v >= after) && (before === undefined || v <= before);
  const files = [...vs.store.all<FileRecord>("sale"), ...vs.store.all<FileRecord>("listing")].filter((f) => {
    if (!within(at(f.createdOn), createdAfter, t("createdBefore"))) return false;
    if (!within(at(f.modifiedOn), t("modifiedAfter"), t("modifiedBefore"))) return false;
    if (
      (t("closedAfter") !== undefined || t("closedBefore") !== undefined) &&
      !within(at(f["actualClosingDate"]), t("closedAfter"), t("closedBefore"))
    )
      return false;
    if (q.get("status") && f["status"] !== q.get("status")) return false;
    if (q.get("type") && f.objectType !== q.get("type")?.toLowerCase()) return false;
    if (q.get("email") && f["email"] !== q.get("email")) return false;
    return (
      !q.get("propertyAddress") ||
      address(f["property"])
        .toLowerCase()
        .includes((q.get("propertyAddress") ?? "").toLowerCase())
    );
  });
  files.sort((a, b) => at(a.createdOn) - at(b.createdOn));
  return json(vs.settings.exportShape === "value" ? { value: files } : files);
});
