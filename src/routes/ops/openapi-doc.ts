import { openApiDocument } from "../../ops/openapi";
import { OPS_BASE } from "./auth";
import { API } from "./spec";
import { describeInputs } from "./input-docs";
import { API_DOCS } from "./spec-docs";

/**
 * The ops API's OpenAPI document as `npm run schema` writes it to `openapi.json` beside this file,
 * which the Worker serves with its own version; not imported by the Worker, whose bundle would
 * otherwise carry zod's JSON-Schema converter.
 */
export function opsOpenApiDocument() {
  describeInputs();
  const routes = Object.fromEntries(Object.entries(API).map(([id, shape]) => [id, { ...shape, ...API_DOCS[id as keyof typeof API] }]));
  return openApiDocument(routes, { base: `${OPS_BASE}/api`, version: "" });
}

/** A response object (under `responses`): its `description` is required by OpenAPI. */
const RESPONSE_KEY = /^(\d{3}|default|[A-Z][A-Za-z]+)$/;

/** Keys of a path item that hold an operation. */
const OPERATION_KEY = /^(get|post|put|patch|delete)$/;

/**
 * A response's description as served: the body's shape (`{ a, b: [{ c }] }`) when it opens with
 * one, without the sentence that follows; any other description whole.
 */
export function responseShape(description: string): string {
  if (!description.startsWith("{")) return description;
  let depth = 0;
  for (let i = 0; i < description.length; i++) {
    depth += description[i] === "{" ? 1 : description[i] === "}" ? -1 : 0;
    if (depth === 0) return description.slice(0, i + 1);
  }
  return description;
}

/**
 * The document the Worker serves: every path, parameter, schema and response, without what
 * OpenAPI leaves optional for people and their viewers (operation summaries and tags, the API's,
 * parameters' and properties' descriptions) and with each response's required description cut
 * to the shape of its body, which together cost the bundle 1.7 KiB gzip; nor `required: false`,
 * OpenAPI's default for a parameter or a body. The whole document is committed as
 * `docs/ops-api.openapi.json`.
 */
export function servedOpenApiDocument(doc: unknown, parentKey = ""): unknown {
  if (Array.isArray(doc)) return doc.map((x) => servedOpenApiDocument(x));
  if (doc === null || typeof doc !== "object") return doc;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc)) {
    if (k === "summary" || (k === "description" && !RESPONSE_KEY.test(parentKey))) continue;
    if (k === "tags" && OPERATION_KEY.test(parentKey)) continue;
    if (k === "required" && v === false) continue;
    out[k] = k === "description" && typeof v === "string" ? responseShape(v) : servedOpenApiDocument(v, k);
  }
  return out;
}
