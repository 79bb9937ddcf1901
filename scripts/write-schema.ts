/**
 * Writes the JSON Schema of every canonical event type to `schema/<type>.json` plus
 * `schema/index.json`, and removes stale files; and the ops API's OpenAPI document to
 * `docs/ops-api.openapi.json`. Run with `npm run schema`; commit the output.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { schemaFiles } from "../src/canonical/json-schema";
import { declaredFieldSchemas, FieldsConfig } from "../src/config/fields";
import brokerage from "../config/brokerage.json";
import { SUBSCRIBERS } from "../src/queues/routing";
import { opsOpenApiDocument } from "../src/routes/ops/openapi-doc";

const dir = path.join(import.meta.dirname, "..", "schema");
mkdirSync(dir, { recursive: true });
// The brokerage's declared fields are part of the deal schema a consumer validates against.
const files = schemaFiles(SUBSCRIBERS, declaredFieldSchemas(FieldsConfig.parse((brokerage as { fields?: unknown }).fields)));
for (const name of readdirSync(dir)) {
  if (name.endsWith(".json") && !(name in files)) rmSync(path.join(dir, name));
}
for (const [name, schema] of Object.entries(files)) {
  writeFileSync(path.join(dir, name), `${JSON.stringify(schema, null, 2)}\n`);
}
console.log(`wrote ${Object.keys(files).length} schema files to ${path.relative(process.cwd(), dir)}/`);

const documented = path.join(import.meta.dirname, "..", "docs", "ops-api.openapi.json");
writeFileSync(documented, `${JSON.stringify(opsOpenApiDocument(), null, 2)}\n`);
console.log(`wrote ${path.relative(process.cwd(), documented)}`);
