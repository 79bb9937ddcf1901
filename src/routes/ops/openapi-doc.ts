import { openApiDocument } from "../../ops/openapi";
import { OPS_BASE } from "./auth";
import { API } from "./spec";
import { API_DOCS } from "./spec-docs";

/**
 * The ops API's OpenAPI document as `npm run schema` writes it to `openapi.json` beside this file,
 * which the Worker serves with its own version; not imported by the Worker, whose bundle would
 * otherwise carry zod's JSON-Schema converter.
 */
export function opsOpenApiDocument() {
  const routes = Object.fromEntries(Object.entries(API).map(([id, shape]) => [id, { ...shape, ...API_DOCS[id as keyof typeof API] }]));
  return openApiDocument(routes, { base: `${OPS_BASE}/api`, version: "" });
}
