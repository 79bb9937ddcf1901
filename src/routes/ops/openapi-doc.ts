import { openApiDocument } from "../../ops/openapi";
import { OPS_BASE } from "./auth";
import { API } from "./spec";

/**
 * The ops API's OpenAPI document as `npm run schema` writes it to `openapi.json` beside this file,
 * which the Worker serves with its own version; not imported by the Worker, whose bundle would
 * otherwise carry zod's JSON-Schema converter.
 */
export function opsOpenApiDocument() {
  return openApiDocument(API, { base: `${OPS_BASE}/api`, version: "" });
}
