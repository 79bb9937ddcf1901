import { describe, expect, it } from "vitest";
import devVarsText from "../../.dev.vars.example?raw";
import brokerage from "../../config/brokerage.json";
import tomlText from "../../wrangler.toml?raw";
import {
  encryptionKeyProblem,
  planSetup,
  readSecretsFile,
  readWranglerToml,
  recordId,
  type SetupInput,
  withExistingIds,
} from "../../scripts/setup/plan";

const random = (n: number) => btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(n))));
const devSecrets = readSecretsFile(devVarsText);

/** A production secrets file: every name of the example, each with a fresh non-development value. */
function productionSecrets(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(devSecrets)) out[name] = `prod-${name.toLowerCase()}-${random(12)}`;
  out.TOKEN_ENCRYPTION_KEY = random(32);
  out.OPS_TOKEN = random(32);
  out.QUICKBOOKS_REALM_ID = "9130350000000042";
  // Follow Up Boss signs its webhooks with the account's system key.
  out.WEBHOOK_SECRET_FOLLOWUPBOSS = out.FOLLOWUPBOSS_SYSTEM_KEY as string;
  return out;
}

const input = (over: Partial<SetupInput> = {}): SetupInput => ({
  declared: readWranglerToml(tomlText),
  secrets: productionSecrets(),
  devSecrets,
  brokerage,
  secretsFile: ".prod.vars",
  ...over,
});

const codes = (i: SetupInput) => planSetup(i).refusals.map((r) => `${r.code}:${r.name}`);

describe("setup's plan", () => {
  it("reads the KV namespace, the D1 database and every queue the hub declares", () => {
    const d = readWranglerToml(tomlText);
    expect(d.kv.map((k) => k.binding)).toEqual(["IDEMPOTENCY"]);
    expect(d.d1.map((k) => k.name)).toEqual(["dealwire"]);
    for (const q of ["dealwire-inbound", "dealwire-crm", "dealwire-tms", "dealwire-accounting", "dealwire-dead-letter"])
      expect(d.queues).toContain(q);
  });

  it("creates what is missing, migrates remotely, uploads the secrets in bulk, then deploys, in that order", () => {
    const plan = planSetup(input());
    expect(plan.refusals).toEqual([]);
    const commands = plan.steps.map((s) => s.command.slice(0, 4).join(" "));
    expect(commands[0]).toBe("wrangler kv namespace create");
    expect(commands[1]).toBe("wrangler d1 create dealwire");
    expect(commands.filter((c) => c.startsWith("wrangler queues create")).length).toBe(readWranglerToml(tomlText).queues.length);
    expect(commands.slice(-3)).toEqual(["wrangler d1 migrations apply", expect.stringMatching(/^wrangler secret bulk/), "wrangler deploy"]);
  });

  it("refuses a Follow Up Boss webhook secret other than the system key, which Follow Up Boss signs with", () => {
    const secrets = productionSecrets();
    secrets.WEBHOOK_SECRET_FOLLOWUPBOSS = random(24);
    const refusal = planSetup(input({ secrets })).refusals.find((r) => r.name === "WEBHOOK_SECRET_FOLLOWUPBOSS");
    expect(refusal).toMatchObject({ code: "fub_webhook_secret" });
    expect(refusal?.message).toContain("system key");
    expect(refusal?.message).not.toContain(secrets.WEBHOOK_SECRET_FOLLOWUPBOSS);
  });

  it("never puts a secret value in the plan it prints", () => {
    const i = input();
    const text = JSON.stringify(planSetup(i));
    for (const [name, value] of Object.entries(i.secrets)) {
      expect(text).toContain(name);
      if (value.length > 8) expect(text).not.toContain(value);
    }
  });

  it("writes the ids of a KV namespace and a D1 database the account already has into wrangler.toml", () => {
    const declared = readWranglerToml(tomlText);
    const toml = withExistingIds(tomlText, declared, {
      kvIds: ["0f1e2d3c4b5a69788796a5b4c3d2e1f0"],
      kvTitles: ["dealwire-IDEMPOTENCY"],
      d1Names: ["dealwire"],
      d1Ids: ["4c1b2a39-8e7f-4d6c-9b5a-0123456789ab"],
      queues: declared.queues,
    });
    expect(readWranglerToml(toml).kv[0]?.id).toBe("0f1e2d3c4b5a69788796a5b4c3d2e1f0");
    expect(readWranglerToml(toml).d1[0]?.id).toBe("4c1b2a39-8e7f-4d6c-9b5a-0123456789ab");
  });

  it("never adopts another Worker's KV namespace that shares the binding's name: it creates the hub's own", () => {
    const declared = readWranglerToml(tomlText);
    const theirs = { kvIds: ["9a8b7c6d5e4f30211203f4e5d6c7b8a9"], kvTitles: ["billing-IDEMPOTENCY"], d1Names: [], queues: [] };
    expect(readWranglerToml(withExistingIds(tomlText, declared, theirs)).kv[0]?.id).toBe(declared.kv[0]?.id);
    expect(planSetup(input({ existing: theirs })).steps[0]?.command).toEqual(["wrangler", "kv", "namespace", "create", "IDEMPOTENCY"]);
  });

  it("skips resources the account already has", () => {
    const declared = readWranglerToml(tomlText);
    const plan = planSetup(
      input({ existing: { kvIds: [], kvTitles: ["dealwire-IDEMPOTENCY"], d1Names: ["dealwire"], queues: declared.queues } }),
    );
    expect(plan.steps.map((s) => s.command[1])).toEqual(["d1", "secret", "deploy"]);
  });

  it("writes a created resource's id into its own binding and nowhere else", () => {
    const out = recordId(tomlText, "IDEMPOTENCY", "id", "0123456789abcdef0123456789abcdef");
    expect(readWranglerToml(out).kv).toEqual([{ binding: "IDEMPOTENCY", id: "0123456789abcdef0123456789abcdef" }]);
    expect(readWranglerToml(out).d1).toEqual(readWranglerToml(tomlText).d1);
  });
});

describe("setup refuses, naming the problem, and plans nothing", () => {
  it("a loopback or sandbox URL in the vars", () => {
    const declared = readWranglerToml(tomlText);
    declared.vars.FOLLOWUPBOSS_BASE_URL = "http://127.0.0.1:8788/followupboss";
    const plan = planSetup(input({ declared }));
    expect(plan.refusals.map((r) => `${r.code}:${r.name}`)).toContain("local_url:FOLLOWUPBOSS_BASE_URL");
    expect(plan.steps).toEqual([]);
  });

  it("a loopback URL in a secret", () => {
    expect(codes(input({ secrets: { ...productionSecrets(), ALERT_WEBHOOK_URL: "http://localhost:9000/hook" } }))).toContain(
      "local_url:ALERT_WEBHOOK_URL",
    );
  });

  it("a dev- token or any value copied from .dev.vars.example", () => {
    const secrets = {
      ...productionSecrets(),
      FOLLOWUPBOSS_API_KEY: "dev-fub-api-key",
      WEBHOOK_SECRET_ZILLOW: devSecrets.WEBHOOK_SECRET_ZILLOW ?? "",
    };
    const got = codes(input({ secrets }));
    expect(got).toContain("dev_secret:FOLLOWUPBOSS_API_KEY");
    expect(got).toContain("dev_secret:WEBHOOK_SECRET_ZILLOW");
  });

  it("the development OPS_TOKEN", () => {
    expect(codes(input({ secrets: { ...productionSecrets(), OPS_TOKEN: "dev-ops-token" } }))).toContain("dev_secret:OPS_TOKEN");
  });

  it("a short OPS_TOKEN", () => {
    expect(codes(input({ secrets: { ...productionSecrets(), OPS_TOKEN: "correct-horse-battery" } }))).toContain("weak_ops_token:OPS_TOKEN");
  });

  it("missing secrets the active connections need", () => {
    const secrets = productionSecrets();
    delete secrets.DOTLOOP_CLIENT_SECRET;
    delete secrets.WEBHOOK_SECRET_FOLLOWUPBOSS;
    delete secrets.TOKEN_ENCRYPTION_KEY;
    const got = codes(input({ secrets }));
    expect(got).toEqual(
      expect.arrayContaining([
        "secret_missing:DOTLOOP_CLIENT_SECRET",
        "secret_missing:WEBHOOK_SECRET_FOLLOWUPBOSS",
        "secret_missing:TOKEN_ENCRYPTION_KEY",
      ]),
    );
  });

  it("a TOKEN_ENCRYPTION_KEY that is not 32 random bytes", () => {
    expect(codes(input({ secrets: { ...productionSecrets(), TOKEN_ENCRYPTION_KEY: random(16) } }))).toContain(
      "weak_encryption_key:TOKEN_ENCRYPTION_KEY",
    );
    // 32 bytes, but a typed phrase: the example file's own key.
    expect(encryptionKeyProblem(devSecrets.TOKEN_ENCRYPTION_KEY ?? "")).toMatch(/printable text/);
    expect(encryptionKeyProblem(random(32))).toBeNull();
  });

  it("an invalid brokerage config, naming the field", () => {
    const bad = { ...brokerage, crm: "followupboss:nope" };
    const plan = planSetup(input({ brokerage: bad }));
    expect(plan.refusals).toContainEqual(expect.objectContaining({ code: "config_invalid", name: "crm" }));
  });
});
