/**
 * `npm run setup`'s decisions, as pure functions: what the deployable configuration may not
 * hold (refusals), and which wrangler commands provision and deploy the hub (steps). The runner
 * (scripts/setup.ts) reads the files, asks wrangler what exists, prints or runs the steps.
 */
import * as z from "zod";
import { parseConfig } from "../../src/config/load";
import { tokenWeakness } from "../../src/ops/credentials";

export const RefusalCode = z.enum([
  "local_url",
  "dev_secret",
  "secret_missing",
  "weak_encryption_key",
  "weak_ops_token",
  "config_invalid",
  "secrets_file_unreadable",
  "fub_webhook_secret",
]);
export type RefusalCode = z.infer<typeof RefusalCode>;
export type Refusal = { code: RefusalCode; name: string; message: string };

export type Step = { command: string[]; why: string; creates?: string; records?: { binding: string; key: "id" | "database_id" } };

/** What wrangler.toml declares that setup provisions. */
export type Declared = {
  /** The Worker's name: older wranglers titled a KV namespace `<name>-<binding>`. */
  name: string;
  vars: Record<string, string>;
  kv: Array<{ binding: string; id: string }>;
  d1: Array<{ binding: string; name: string; id: string }>;
  queues: string[];
};

/** Cloudflare resources the account already has (undefined: not asked, as in a dry run). */
export type Existing = { kvIds: string[]; kvTitles: string[]; d1Names: string[]; d1Ids?: string[]; queues: string[] };

export type SetupInput = {
  declared: Declared;
  secrets: Record<string, string>;
  /** Values of .dev.vars.example: development secrets that must never reach production. */
  devSecrets: Record<string, string>;
  brokerage: unknown;
  existing?: Existing;
  secretsFile: string;
};

export type SetupPlan = { refusals: Refusal[]; steps: Step[] };

/** Reads the parts of wrangler.toml setup needs: [vars], KV and D1 bindings, every queue. */
export function readWranglerToml(text: string): Declared {
  const declared: Declared = { name: "", vars: {}, kv: [], d1: [], queues: [] };
  let table = "";
  let entry: Record<string, string> = {};
  const flush = () => {
    if (table === "kv_namespaces" && entry.binding) declared.kv.push({ binding: entry.binding, id: entry.id ?? "" });
    if (table === "d1_databases" && entry.binding)
      declared.d1.push({ binding: entry.binding, name: entry.database_name ?? "", id: entry.database_id ?? "" });
    for (const key of ["queue", "dead_letter_queue"]) {
      const q = entry[key];
      if (table.startsWith("queues.") && q && !declared.queues.includes(q)) declared.queues.push(q);
    }
    entry = {};
  };
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    const header = /^\[\[?([^\]]+)\]\]?$/.exec(line);
    if (header?.[1]) {
      flush();
      table = header[1];
      continue;
    }
    const kv = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*"(.*)"\s*$/.exec(line);
    if (!kv?.[1] || kv[2] === undefined) continue;
    if (table === "vars") declared.vars[kv[1]] = kv[2];
    else if (table === "" && kv[1] === "name") declared.name = kv[2];
    else entry[kv[1]] = kv[2];
  }
  flush();
  return declared;
}

/** Reads a dotenv-style secrets file (`NAME="value"` lines; # comments). */
export function readSecretsFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split("\n")) {
    const m = /^\s*([A-Z][A-Z0-9_]*)\s*=\s*(.*?)\s*$/.exec(raw);
    if (!m?.[1] || m[2] === undefined) continue;
    out[m[1]] = m[2].replace(/^"(.*)"$/, "$1").replace(/^'(.*)'$/, "$1");
  }
  return out;
}

const LOCAL = /^(https?:\/\/)?(127\.\d+\.\d+\.\d+|localhost|\[::1\]|0\.0\.0\.0)(:|\/|$)|\/_sandbox(\/|$)/i;

/** A URL that only means something on a developer's machine (loopback, the sandbox). */
export const isLocalUrl = (value: string) => LOCAL.test(value.trim());

function base64Bytes(value: string): Uint8Array | null {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) return null;
  try {
    const bin = atob(value.replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(bin, (ch) => ch.charCodeAt(0));
  } catch {
    return null;
  }
}

/**
 * 32 random bytes, base64. Bytes that are all printable ASCII are a typed phrase, not a random
 * key: 32 random bytes are all printable with a chance of about 1 in 10^14.
 */
export function encryptionKeyProblem(value: string): string | null {
  const bytes = base64Bytes(value);
  if (bytes?.byteLength !== 32) return "must be 32 random bytes in base64 (e.g. `openssl rand -base64 32`)";
  if (bytes.every((b) => b >= 0x20 && b < 0x7f))
    return "decodes to printable text, not random bytes; generate one with `openssl rand -base64 32`";
  return null;
}

/** The admin token, judged by the rule the hub itself applies before serving /ops off loopback. */
export function opsTokenProblem(value: string): string | null {
  const weakness = tokenWeakness(value);
  if (weakness === "dev_value") return "is a development token";
  if (weakness === "too_short") return "is weaker than 32 random bytes; generate one with `openssl rand -base64 32`";
  return null;
}

/** Webhook sources whose signing secret the active systems need. */
function activeSources(brokerage: unknown): string[] {
  if (!brokerage || typeof brokerage !== "object") return [];
  const doc = brokerage as Record<string, unknown>;
  const conns = Array.isArray(doc.connections) ? (doc.connections as Array<Record<string, unknown>>) : [];
  const vendorOf = (id: unknown) => conns.find((c) => c.id === id)?.vendor;
  const pushes = new Set(["followupboss", "dotloop", "quickbooks"]);
  return ["crm", "tms", "accounting"].map((k) => vendorOf(doc[k])).filter((v): v is string => typeof v === "string" && pushes.has(v));
}

export function refusalsOf(input: SetupInput): Refusal[] {
  const { declared, secrets, devSecrets } = input;
  const refusals: Refusal[] = [];
  for (const [name, value] of [...Object.entries(declared.vars), ...Object.entries(secrets)]) {
    if (isLocalUrl(value))
      refusals.push({ code: "local_url", name, message: `${name} points at a local address (${value}); name the real service` });
  }
  // Short example values that are not secrets (FOLLOWUPBOSS_SYSTEM="dealwire") may match production.
  const devValues = new Set(Object.values(devSecrets).filter((v) => v.length >= 16 || /dev/i.test(v)));
  for (const [name, value] of Object.entries(secrets)) {
    if (/^dev-/i.test(value) || devValues.has(value))
      refusals.push({ code: "dev_secret", name, message: `${name} holds a development value from .dev.vars.example` });
  }
  const required = ["TOKEN_ENCRYPTION_KEY", "OPS_TOKEN", ...activeSources(input.brokerage).map((s) => `WEBHOOK_SECRET_${s.toUpperCase()}`)];
  for (const name of required) {
    if (!secrets[name]) refusals.push({ code: "secret_missing", name, message: `${name} is not in ${input.secretsFile}` });
  }
  const key = secrets.TOKEN_ENCRYPTION_KEY;
  const keyProblem = key ? encryptionKeyProblem(key) : null;
  if (keyProblem)
    refusals.push({ code: "weak_encryption_key", name: "TOKEN_ENCRYPTION_KEY", message: `TOKEN_ENCRYPTION_KEY ${keyProblem}` });
  const token = secrets.OPS_TOKEN;
  const tokenProblem = token && !/^dev-/i.test(token) ? opsTokenProblem(token) : null;
  if (tokenProblem) refusals.push({ code: "weak_ops_token", name: "OPS_TOKEN", message: `OPS_TOKEN ${tokenProblem}` });
  const load = parseConfig(input.brokerage, { ...declared.vars, ...secrets });
  if (!load.ok) {
    for (const e of load.errors) {
      const ref = /^\$\{([A-Z0-9_]+)\}$/.exec(e.path)?.[1];
      refusals.push(
        ref
          ? {
              code: "secret_missing",
              name: ref,
              message: `config/brokerage.json references \${${ref}}, which is neither a var nor in ${input.secretsFile}`,
            }
          : { code: "config_invalid", name: e.path, message: `config/brokerage.json: ${e.path}: ${e.message}` },
      );
    }
  } else {
    // Follow Up Boss signs every webhook with the account's system key: any other secret refuses them all.
    const fub = load.config.connections.find((c) => c.id === load.config.crm && c.vendor === "followupboss");
    const systemKey = fub?.credentials.systemKey;
    if (systemKey && secrets.WEBHOOK_SECRET_FOLLOWUPBOSS && secrets.WEBHOOK_SECRET_FOLLOWUPBOSS !== systemKey)
      refusals.push({
        code: "fub_webhook_secret",
        name: "WEBHOOK_SECRET_FOLLOWUPBOSS",
        message: `WEBHOOK_SECRET_FOLLOWUPBOSS must be ${fub.id}'s system key (Follow Up Boss signs its webhooks with it); any other value refuses every Follow Up Boss webhook`,
      });
    for (const c of load.config.connections) {
      for (const [field, url] of [
        ["baseUrl", c.baseUrl],
        ["authUrl", c.authUrl],
        ["tokenUrl", c.tokenUrl],
      ] as const) {
        if (url && isLocalUrl(url))
          refusals.push({
            code: "local_url",
            name: `${c.id}.${field}`,
            message: `connection ${c.id} ${field} points at a local address (${url})`,
          });
      }
    }
  }
  return refusals;
}

/**
 * Whether a KV namespace title is the hub's own for a binding: wrangler 4 titles it the binding
 * (`IDEMPOTENCY`), older ones `<worker>-<binding>`. Another Worker's `billing-IDEMPOTENCY` is not
 * the hub's: sharing it, that Worker's keys would make the hub take new deliveries as seen.
 */
const ownsTitle = (title: string, binding: string, declared: Declared) => title === binding || title === `${declared.name}-${binding}`;

const PLACEHOLDER = /^0{8}-?0{4}-?0{4}-?0{4}-?0{11}1$|^0{31}1$/;

/**
 * wrangler.toml with the ids of resources the account already has written in where it still holds
 * a placeholder (a second clone, a file never committed): setup creates nothing for them, and the
 * remote migrations and the deploy must name them.
 */
export function withExistingIds(toml: string, declared: Declared, existing: Existing): string {
  let out = toml;
  for (const kv of declared.kv) {
    const i = existing.kvTitles.findIndex((t) => ownsTitle(t, kv.binding, declared));
    const id = existing.kvIds[i];
    if (PLACEHOLDER.test(kv.id) && i >= 0 && id) out = recordId(out, kv.binding, "id", id);
  }
  for (const db of declared.d1) {
    const id = existing.d1Ids?.[existing.d1Names.indexOf(db.name)];
    if (PLACEHOLDER.test(db.id) && id) out = recordId(out, db.binding, "database_id", id);
  }
  return out;
}

export function stepsOf(input: SetupInput): Step[] {
  const { declared, existing } = input;
  const ifMissing = existing ? "" : " (skipped when it already exists)";
  const steps: Step[] = [];
  for (const kv of declared.kv) {
    const known = existing && (existing.kvIds.includes(kv.id) || existing.kvTitles.some((t) => ownsTitle(t, kv.binding, declared)));
    if (!known)
      steps.push({
        command: ["wrangler", "kv", "namespace", "create", kv.binding],
        why: `KV namespace for ${kv.binding}${ifMissing}`,
        creates: `kv:${kv.binding}`,
        records: { binding: kv.binding, key: "id" },
      });
  }
  for (const db of declared.d1) {
    if (!existing?.d1Names.includes(db.name))
      steps.push({
        command: ["wrangler", "d1", "create", db.name],
        why: `D1 database ${db.name}${ifMissing}`,
        creates: `d1:${db.name}`,
        records: { binding: db.binding, key: "database_id" },
      });
  }
  for (const q of declared.queues) {
    if (!existing?.queues.includes(q))
      steps.push({ command: ["wrangler", "queues", "create", q], why: `queue ${q}${ifMissing}`, creates: `queue:${q}` });
  }
  for (const db of declared.d1)
    steps.push({
      command: ["wrangler", "d1", "migrations", "apply", db.binding, "--remote"],
      why: `apply the D1 migrations to ${db.name}`,
    });
  const names = Object.keys(input.secrets).sort();
  steps.push({
    command: ["wrangler", "secret", "bulk", "<secrets as JSON, from a private temporary file>"],
    why: `upload ${names.length} secrets: ${names.join(", ")}`,
  });
  steps.push({ command: ["wrangler", "deploy"], why: "deploy the hub (minified, source maps uploaded)" });
  return steps;
}

/** Placeholder ids in the committed wrangler.toml that setup must replace with real ones. */
export const isPlaceholderId = (id: string) => PLACEHOLDER.test(id);

export function planSetup(input: SetupInput): SetupPlan {
  const refusals = refusalsOf(input);
  return { refusals, steps: refusals.length ? [] : stepsOf(input) };
}

/** wrangler.toml with a created resource's id written into its binding's entry. */
export function recordId(toml: string, binding: string, key: "id" | "database_id", id: string): string {
  const blocks = toml.split(/(?=^\[)/m);
  return blocks
    .map((b) =>
      new RegExp(`^binding[ \\t]*=[ \\t]*"${binding}"[ \\t]*$`, "m").test(b)
        ? b.replace(new RegExp(`^${key}[ \\t]*=[ \\t]*".*"[ \\t]*$`, "m"), `${key} = "${id}"`)
        : b,
    )
    .join("");
}
