// `npm run setup [-- --secrets FILE] [--dry-run]`: provision and deploy the hub in one command.
// Reads the secrets file (values are never printed) and config/brokerage.json, refuses anything
// that only belongs on a developer's machine, then creates the Cloudflare resources that are
// missing (recording their ids in wrangler.toml), applies the D1 migrations remotely, uploads
// every secret with `wrangler secret bulk`, and deploys. --dry-run prints the plan, runs nothing.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Existing, planSetup, readSecretsFile, readWranglerToml, recordId, withExistingIds } from "./setup/plan";

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? (args[i + 1] as string) : fallback;
};
const dryRun = flag("--dry-run");
const json = flag("--json");
const secretsFile = option("--secrets", ".prod.vars");
const configFile = option("--config", "config/brokerage.json");

if (flag("--help")) {
  console.log("npm run setup -- [--secrets .prod.vars] [--config config/brokerage.json] [--dry-run] [--json]");
  process.exit(0);
}

function wrangler(argv: string[], capture = true) {
  const r = spawnSync("npx", ["wrangler", ...argv], { encoding: "utf8", stdio: capture ? ["ignore", "pipe", "pipe"] : "inherit" });
  if (r.status !== 0) throw new Error(`wrangler ${argv.join(" ")} failed (${r.status})${capture ? `:\n${r.stderr}` : ""}`);
  return r.stdout ?? "";
}

/** What the account already has; read-only wrangler calls. */
function existing(): Existing {
  const kv = JSON.parse(wrangler(["kv", "namespace", "list"])) as Array<{ id: string; title: string }>;
  const d1 = JSON.parse(wrangler(["d1", "list", "--json"])) as Array<{ name: string; uuid: string }>;
  const queues = [...wrangler(["queues", "list"]).matchAll(/\b(dealwire-[a-z0-9-]+)\b/g)].map((m) => m[1] as string);
  return {
    kvIds: kv.map((n) => n.id),
    kvTitles: kv.map((n) => n.title),
    d1Names: d1.map((d) => d.name),
    d1Ids: d1.map((d) => d.uuid),
    queues,
  };
}

const tomlText = readFileSync("wrangler.toml", "utf8");
const declared = readWranglerToml(tomlText);
let secrets: Record<string, string> = {};
let unreadable = false;
try {
  secrets = readSecretsFile(readFileSync(secretsFile, "utf8"));
} catch {
  unreadable = true;
}
const devSecrets = existsSync(".dev.vars.example") ? readSecretsFile(readFileSync(".dev.vars.example", "utf8")) : {};
const brokerage = JSON.parse(readFileSync(configFile, "utf8")) as unknown;
const input = { declared, secrets, devSecrets, brokerage, secretsFile, ...(dryRun ? {} : { existing: existing() }) };
const plan = unreadable
  ? {
      refusals: [
        {
          code: "secrets_file_unreadable" as const,
          name: secretsFile,
          message: `cannot read ${secretsFile}; copy .dev.vars.example there and put the production values in`,
        },
      ],
      steps: [],
    }
  : planSetup(input);

if (json) console.log(JSON.stringify({ dryRun, ...plan }, null, 2));
if (plan.refusals.length) {
  if (!json) {
    console.error(`setup refused: ${plan.refusals.length} problem(s), nothing was changed`);
    for (const r of plan.refusals) console.error(`  ✗ [${r.code}] ${r.message}`);
  }
  process.exit(1);
}
if (!json) {
  console.log(dryRun ? "setup plan (dry run: nothing runs)" : "setup");
  for (const [i, s] of plan.steps.entries()) console.log(`  ${i + 1}. ${s.command.join(" ")}\n     ${s.why}`);
}
if (dryRun) process.exit(0);

// A resource that exists but whose id wrangler.toml does not hold yet (a second clone).
let toml = input.existing ? withExistingIds(tomlText, declared, input.existing) : tomlText;
if (toml !== tomlText) writeFileSync("wrangler.toml", toml);
const dir = mkdtempSync(path.join(tmpdir(), "dealwire-setup-"));
try {
  for (const step of plan.steps) {
    console.log(`→ ${step.command.join(" ")}`);
    if (step.command[1] === "secret") {
      const file = path.join(dir, "secrets.json");
      writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
      wrangler(["secret", "bulk", file], false);
      continue;
    }
    const out = wrangler(step.command.slice(1), !!step.records);
    if (step.records) {
      const id = /(?:id|database_id)\s*=\s*"([0-9a-f-]{32,36})"/.exec(out)?.[1];
      if (!id) throw new Error(`could not read the new id from: ${out}`);
      toml = recordId(toml, step.records.binding, step.records.key, id);
      writeFileSync("wrangler.toml", toml);
      console.log(`  recorded ${step.records.binding} ${step.records.key} = ${id} in wrangler.toml`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log("deployed. Next: connect the OAuth vendors, then register the webhooks (README, Deploying).");
