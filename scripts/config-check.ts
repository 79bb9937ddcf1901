// `npm run config:check [-- --config FILE] [--secrets FILE]`: validates the brokerage
// configuration alone, as the hub will at start: every field, and every `${NAME}` reference
// against wrangler.toml's [vars] and the names in the secrets file (default .dev.vars, else .dev.vars.example).
import { existsSync, readFileSync } from "node:fs";
import { parseConfig } from "../src/config/load";
import { readSecretsFile, readWranglerToml } from "./setup/plan";

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? (args[i + 1] as string) : fallback;
};
const configFile = option("--config", "config/brokerage.json");
const secretsFile = option("--secrets", existsSync(".dev.vars") ? ".dev.vars" : ".dev.vars.example");

let doc: unknown;
try {
  doc = JSON.parse(readFileSync(configFile, "utf8"));
} catch (e) {
  console.error(`✗ ${configFile}: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
let secrets: Record<string, string> = {};
try {
  secrets = readSecretsFile(readFileSync(secretsFile, "utf8"));
} catch {
  console.error(`(no ${secretsFile}: references are checked against wrangler.toml's vars only)`);
}
const vars = readWranglerToml(readFileSync("wrangler.toml", "utf8")).vars;
const load = parseConfig(doc, { ...vars, ...secrets });
if (!load.ok) {
  console.error(`✗ ${configFile} is invalid:`);
  for (const e of load.errors)
    console.error(`  ${e.path}: ${e.message}${e.path.startsWith("${") ? ` (neither a var nor in ${secretsFile})` : ""}`);
  process.exit(1);
}
const c = load.config;
console.log(
  `✓ ${configFile} is valid: ${c.connections.length} connections; crm ${c.crm}, tms ${c.tms ?? "none"}, accounting ${c.accounting ?? "none"}`,
);
