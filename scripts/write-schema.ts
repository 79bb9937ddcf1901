/**
 * Writes the JSON Schema of every canonical event type to `schema/<type>.json` plus
 * `schema/index.json`, and removes stale files. Run with `npm run schema`; commit the output.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { schemaFiles } from "../src/canonical/json-schema";

const dir = path.join(import.meta.dirname, "..", "schema");
mkdirSync(dir, { recursive: true });
const files = schemaFiles();
for (const name of readdirSync(dir)) {
  if (name.endsWith(".json") && !(name in files)) rmSync(path.join(dir, name));
}
for (const [name, schema] of Object.entries(files)) {
  writeFileSync(path.join(dir, name), `${JSON.stringify(schema, null, 2)}\n`);
}
console.log(`wrote ${Object.keys(files).length} schema files to ${path.relative(process.cwd(), dir)}/`);
