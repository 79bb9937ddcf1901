/**
 * The simulated MLS: a RESO Web API server (Web API Core 2.0 over OData 4.0) at `/reso/odata`:
 * the service document, `$metadata`, `Property`, `Member` and `Office` collections and single
 * records (`Property('key')`), with `$filter`, `$orderby`, `$top`, `$skip`, `$select`, `$count`
 * and server-driven paging through `@odata.nextLink`. Clients authenticate with an OAuth2 client
 * credentials token (`POST /reso/oauth2/token`) or the static bearer token many MLS vendors issue
 * (`RESO_BEARER_TOKEN`). Errors are OData error bodies. Every API request is logged, so a test
 * can prove a client never read a page twice.
 *
 * Like a real MLS page size, `$top` is capped (MAX_PAGE); when more records match than a page
 * holds, the answer carries `@odata.nextLink` with a `$skiptoken` that resumes after the last
 * record served (key-set paging: a change during a sync never shifts a page).
 */
import { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import type { VendorCtx, VendorDef, VendorEnv } from "../core/context";
import { safeEqual } from "../lib/crypto";
import { basicAuth, bearer, json, readParams } from "../lib/http";
import { FIELDS, RESOURCES, ensureTables, getRecord, isResource, seedFeed, clearAll, type ResoRecord, type ResourceName } from "./data";
import { lookupDisplay, metadataXml, serviceDocument } from "./metadata";
import { compile, decodeSkipToken, encodeSkipToken, QueryError, readOptions, type Column, type Literal } from "./query";
import { controlRoutes } from "./control";

const DEFAULT_PAGE = 100;
export const MAX_PAGE = 1000;
/** Listings in the feed after a reset (the bench and tests seed more through the control API). */
const DEFAULT_LISTINGS = 40;

interface Token {
  access: string;
  expiresAt: number;
}

type Row = Record<string, SqlStorageValue>;

/** An OData error body (OData JSON Format 4.0 §21), the shape RESO Web API Core servers answer. */
export function odataError(status: number, code: string, message: string, headers: Record<string, string> = {}): Response {
  return json({ error: { code, message } }, status, headers);
}

const sqlOf = (vs: VendorCtx) => vs.store.sqlStorage;

const logRequests = createMiddleware<VendorEnv>(async (c, next) => {
  await next();
  const url = new URL(c.req.url);
  sqlOf(c.env.vs).exec(
    "INSERT INTO reso_requests (at, method, url, status) VALUES (?, ?, ?, ?)",
    c.env.vs.now(),
    c.req.method,
    url.pathname + url.search,
    c.res.status,
  );
});

const guard = createMiddleware<VendorEnv>(async (c, next) => {
  const vs = c.env.vs;
  const token = bearer(c.req.header("authorization") ?? null);
  const t = token === null ? undefined : vs.store.get<Token>("token", token);
  const fixed = vs.env.RESO_BEARER_TOKEN;
  const staticOk = token !== null && typeof fixed === "string" && fixed !== "" && safeEqual(token, fixed);
  if (!staticOk && (t === undefined || t.expiresAt <= vs.now())) {
    return odataError(401, "Unauthorized", "The access token is missing, invalid or expired", {
      "WWW-Authenticate": 'Bearer error="invalid_token"',
    });
  }
  const lim = vs.settings.rateLimit;
  if (lim !== null) {
    const d = vs.limiter.hit("reso:api", lim.limit, lim.windowSeconds * 1000, vs.now());
    if (!d.allowed) {
      return odataError(429, "TooManyRequests", "Rate limit exceeded", { "Retry-After": String(Math.max(1, Math.ceil(d.resetMs / 1000))) });
    }
  }
  await next();
});

const app = new Hono<VendorEnv>();

app.post("/reso/oauth2/token", async (c) => {
  const vs = c.env.vs;
  const p = await readParams(c.req.raw);
  const basic = basicAuth(c.req.header("authorization") ?? null);
  const clientId = basic?.user ?? p["client_id"];
  const secret = basic?.password ?? p["client_secret"] ?? "";
  if (clientId !== vs.env.RESO_CLIENT_ID || !safeEqual(secret, vs.env.RESO_CLIENT_SECRET)) {
    return json({ error: "invalid_client", error_description: "Client authentication failed" }, 401);
  }
  if (p["grant_type"] !== "client_credentials") return json({ error: "unsupported_grant_type" }, 400);
  const lifetime = vs.settings.tokenLifetimeSeconds ?? 3600;
  const t: Token = { access: vs.rng.hex(40), expiresAt: vs.now() + lifetime * 1000 };
  vs.store.put<Token>("token", t.access, t);
  return json({ access_token: t.access, token_type: "Bearer", expires_in: lifetime, scope: "api" });
});

app.use("/reso/odata/*", logRequests, guard);
app.use("/reso/odata", logRequests, guard);

app.get("/reso/odata", (c) => json(serviceDocument(c.env.vs.origin)));
app.get("/reso/odata/", (c) => json(serviceDocument(c.env.vs.origin)));
app.get(
  "/reso/odata/$metadata",
  (c) =>
    new Response(metadataXml(c.env.vs.settings.lookupDisplay), {
      headers: { "content-type": "application/xml; charset=utf-8", "OData-Version": "4.0" },
    }),
);

app.get("/reso/odata/:target", (c) => {
  const vs = c.env.vs;
  const target = decodeURIComponent(c.req.param("target"));
  const single = /^([A-Za-z]+)\('((?:[^']|'')*)'\)$/.exec(target);
  const resource = single ? single[1] : target;
  if (resource === undefined || !isResource(resource)) return odataError(404, "NotFound", `Resource '${resource ?? ""}' is not served`);
  try {
    const url = new URL(c.req.url);
    if (single) {
      const rec = getRecord(sqlOf(vs), resource, (single[2] ?? "").replace(/''/g, "'"));
      if (!rec) return odataError(404, "NotFound", `No ${resource} with key '${single[2] ?? ""}'`);
      const opts = readOptions(url);
      return json(
        { "@odata.context": `${vs.origin}/reso/odata/$metadata#${resource}/$entity`, ...project(rec, opts.select, resource) },
        200,
        { "OData-Version": "4.0" },
      );
    }
    return json(collection(vs, resource, url), 200, { "OData-Version": "4.0" });
  } catch (err) {
    if (err instanceof QueryError) return odataError(400, "BadRequest", err.message);
    if (err instanceof PageLinkExpired) return odataError(err.status, "BadRequest", "The $skiptoken has expired; query again");
    throw err;
  }
});

app.route("/", controlRoutes);

app.notFound((c) => odataError(404, "NotFound", `No route ${new URL(c.req.url).pathname}`));
app.onError(() => odataError(500, "InternalError", "Internal error"));

function project(rec: ResoRecord, select: string[] | null, resource: ResourceName): ResoRecord {
  if (select === null) return rec;
  for (const f of select) if (!FIELDS[resource].has(f)) throw new QueryError(`'${f}' is not a field of ${resource}`);
  return Object.fromEntries(select.map((f) => [f, rec[f] ?? null]));
}

function columnOf(resource: ResourceName) {
  const key = RESOURCES[resource];
  return (field: string): Column | null => {
    if (field === key) return { sql: "key" };
    if (field === "ModificationTimestamp") {
      return {
        sql: "mod_ms",
        value: (v: Literal) => {
          const ms = typeof v === "string" ? Date.parse(v) : NaN;
          if (Number.isNaN(ms)) throw new QueryError("ModificationTimestamp needs a date-time literal");
          return ms;
        },
      };
    }
    return FIELDS[resource].has(field) ? { sql: `json_extract(data, '$.${field}')` } : null;
  };
}

/** A `$skiptoken` older than the `pageLinks` setting allows. */
class PageLinkExpired extends Error {
  constructor(readonly status: number) {
    super("page link expired");
  }
}

/** One page of a collection, with `@odata.nextLink` when more records match. */
function collection(vs: VendorCtx, resource: ResourceName, url: URL): unknown {
  const opts = readOptions(url);
  const column = columnOf(resource);
  const params: Literal[] = [resource];
  const where = ["resource = ?"];
  if (opts.filter) where.push(compile(opts.filter, column, params));
  const countParams = [...params];
  const countWhere = [...where];
  const orderField = opts.orderBy?.field ?? RESOURCES[resource];
  const byMod = orderField === "ModificationTimestamp";
  if (!byMod && orderField !== RESOURCES[resource])
    throw new QueryError(`$orderby supports ModificationTimestamp and ${RESOURCES[resource]}`);
  const desc = opts.orderBy?.desc ?? false;
  if (opts.skipToken !== null) {
    if (desc) throw new QueryError("$skiptoken pages ascending orders only");
    const t = decodeSkipToken(opts.skipToken);
    const links = vs.settings.pageLinks;
    if (links && vs.now() - t.issuedAt >= links.lifetimeSeconds * 1000) throw new PageLinkExpired(links.status);
    if (byMod) {
      where.push("(mod_ms > ? OR (mod_ms = ? AND key > ?))");
      params.push(t.after[0], t.after[0], t.after[1]);
    } else {
      where.push("key > ?");
      params.push(t.after[1]);
    }
  }
  const dir = desc ? "DESC" : "ASC";
  // Key-set paging needs the key order; a client-paged answer may order one stamp's records either way.
  const flip = byMod && opts.skipToken === null && vs.settings.tiesVary && vs.store.seq("reso:ties") % 2 === 0;
  const order = byMod ? `mod_ms ${dir}, key ${flip ? (desc ? "ASC" : "DESC") : dir}` : `key ${dir}`;
  const size = Math.min(opts.top ?? DEFAULT_PAGE, vs.settings.maxPage ?? MAX_PAGE);
  const offset = opts.skipToken === null ? opts.skip : 0;
  const maxSkip = vs.settings.maxSkip;
  if (maxSkip !== null && offset > maxSkip) throw new QueryError(`$skip is limited to ${maxSkip}`);
  const rows = sqlOf(vs)
    .exec<Row>(
      `SELECT key, mod_ms, data FROM reso_records WHERE ${where.join(" AND ")} ORDER BY ${order} LIMIT ? OFFSET ?`,
      ...params,
      size + 1,
      offset,
    )
    .toArray();
  const more = rows.length > size;
  const page = rows.slice(0, size);
  const value = page.map((r) => {
    const rec = JSON.parse(String(r["data"])) as ResoRecord;
    const status = rec["StandardStatus"];
    if (vs.settings.lookupDisplay && typeof status === "string") rec["StandardStatus"] = lookupDisplay(status);
    return project(rec, opts.select, resource);
  });
  const out: Record<string, unknown> = { "@odata.context": `${vs.origin}/reso/odata/$metadata#${resource}` };
  if (opts.count) {
    const n = sqlOf(vs)
      .exec<Row>(`SELECT COUNT(*) AS n FROM reso_records WHERE ${countWhere.join(" AND ")}`, ...countParams)
      .one()["n"];
    out["@odata.count"] = typeof n === "number" ? n : 0;
  }
  out["value"] = value;
  const last = page[page.length - 1];
  if (more && last && vs.settings.serverPaging) {
    // The client's own query text is kept as sent (URLSearchParams would percent-encode `$`).
    const kept = url.search
      .slice(1)
      .split("&")
      .filter((p) => p !== "" && !/^(\$|%24)(skip|skiptoken)=/i.test(p));
    const after =
      desc || vs.settings.skipLinks
        ? `$skip=${offset + size}`
        : `$skiptoken=${encodeSkipToken({ after: [byMod ? Number(last["mod_ms"]) : String(last["key"]), String(last["key"])], issuedAt: vs.now() })}`;
    const query = `?${[...kept, after].join("&")}`;
    out["@odata.nextLink"] = vs.settings.relativeLinks
      ? `${url.pathname.split("/").pop()}${query}`
      : `${url.origin}${url.pathname}${query}`;
  }
  return out;
}

export const reso: VendorDef = {
  name: "reso",
  app,
  contextOf: () => "api",
  errorBody: (status, message) => ({ body: { error: { code: String(status), message } } }),
  retryAfterSeconds: 1,
  faultable: (req) => !new URL(req.url).pathname.startsWith("/_sandbox/"),
  seed: (vs) => {
    clearAll(sqlOf(vs));
    ensureTables(sqlOf(vs));
    seedFeed(sqlOf(vs), Number(vs.store.getMeta<number>("seed") ?? 42), DEFAULT_LISTINGS);
  },
};
