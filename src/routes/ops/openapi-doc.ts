import { openApiDocument } from "../../ops/openapi";
import { OPS_BASE } from "./auth";
import { API } from "./spec";
import { describeInputs } from "./input-docs";
import { API_DOCS } from "./spec-docs";

/**
 * The ops API's OpenAPI document as `npm run schema` writes it to `docs/ops-api.openapi.json`;
 * not imported by the Worker, whose bundle would otherwise carry zod's JSON-Schema converter.
 */
export function opsOpenApiDocument() {
  describeInputs();
  const routes = Object.fromEntries(Object.entries(API).map(([id, shape]) => [id, { ...shape, ...API_DOCS[id as keyof typeof API] }]));
  return openApiDocument(routes, { base: `${OPS_BASE}/api`, version: "" });
}
