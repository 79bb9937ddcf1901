import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import { buildSandbox } from "./scripts/build-sandbox.mjs";
import { localHubVars } from "./scripts/lib/local-vars.mjs";

/** Secrets for tests come from the committed example file, never from a developer's .dev.vars. */
function devVars(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const m = /^([A-Z0-9_]+)="?(.*?)"?$/.exec(line.trim());
    if (m?.[1] !== undefined && m[2] !== undefined) out[m[1]] = m[2];
  }
  return out;
}

/**
 * Tests of pure modules (mapping, normalization, verification, dedupe, budgets, schemas) run in
 * Node: they touch no binding, and a file there starts in a fraction of a second where a workerd
 * runtime per file takes seconds. Everything that goes through the Worker, its bindings or the
 * vendor sandbox runs in workerd.
 */
const UNIT = [
  "test/backfill/read-pace.test.ts",
  "test/canonical/**/*.test.ts",
  "test/config/**/*.test.ts",
  "test/contracts/*.test.ts",
  "test/dedupe/**/*.test.ts",
  "test/doctor/verdicts.test.ts",
  "test/deploy/**/*.test.ts",
  "test/durable/**/*.test.ts",
  "test/flows/golden.test.ts",
  "test/lib/**/*.test.ts",
  "test/mapping/**/*.test.ts",
  "test/normalize/**/*.test.ts",
  "test/ops/access-jwt.test.ts",
  "test/ops/openapi-document.test.ts",
  "test/queues/dead-letter-origin.test.ts",
  "test/queues/emit.test.ts",
  "test/queues/layers.test.ts",
  "test/queues/messages.test.ts",
  "test/queues/only-queues-send.test.ts",
  "test/queues/routing.test.ts",
  "test/queues/settle.test.ts",
  "test/sandbox/rate-limit.test.ts",
  "test/setup/**/*.test.ts",
  "test/vendors/mappings.test.ts",
  "test/verify/**/*.test.ts",
];

export default defineConfig(async () => {
  const root = import.meta.dirname;
  const migrations = await readD1Migrations(path.join(root, "migrations"));
  const secrets = devVars(path.join(root, ".dev.vars.example"));
  // Tests reach the hub as http://hub.test, a public host, where the committed dev-ops-token is
  // refused; they get a strong token of their own (tests that need the dev one set it).
  const opsToken = randomBytes(32).toString("base64url");
  // The vendor sandbox runs as an auxiliary Worker; every outbound fetch of the hub is routed
  // to it, so adapters call the same URLs they would call in production.
  const sandboxScript = await buildSandbox(root);
  const shared = { testTimeout: 30_000, hookTimeout: 60_000 };
  // A run under one published vendor variant (scripts/test-variants.mjs): the sandbox starts from
  // SANDBOX_VARIANT's settings, and the hub is configured to read that variant (WEBHOOK_SCHEMES).
  const variantHubVars = process.env.VARIANT_WEBHOOK_SCHEMES ? { WEBHOOK_SCHEMES: process.env.VARIANT_WEBHOOK_SCHEMES } : {};
  return {
    server: { fs: { allow: [path.join(root, ".."), root] } },
    test: {
      // Logs of passing tests are noise; a failing test still shows its JSON log lines.
      silent: "passed-only",
      // Workers-project files share one vendor sandbox (an auxiliary Worker with its own state);
      // running files one at a time keeps one file's sandbox reset from pulling the floor out
      // from under another.
      fileParallelism: false,
      projects: [
        {
          extends: true,
          test: { ...shared, name: "unit", include: UNIT, environment: "node" },
        },
        {
          extends: true,
          plugins: [
            cloudflareTest({
              main: "./src/index.ts",
              wrangler: { configPath: "./wrangler.toml" },
              miniflare: {
                // Vendor URLs as a local run has them (wrangler.toml names the real vendors).
                bindings: {
                  ...localHubVars({ hub: "http://127.0.0.1:8787", sandbox: "http://127.0.0.1:8788" }),
                  ...secrets,
                  OPS_TOKEN: opsToken,
                  TEST_MIGRATIONS: migrations,
                  ...variantHubVars,
                },
                outboundService: "sandbox",
                workers: [
                  {
                    name: "sandbox",
                    modules: true,
                    scriptPath: sandboxScript,
                    compatibilityDate: "2026-04-20",
                    bindings: {
                      ...secrets,
                      HUB_URL: "outbox",
                      SANDBOX_SEED: "42",
                      ...(process.env.SANDBOX_VARIANT ? { SANDBOX_VARIANT: process.env.SANDBOX_VARIANT } : {}),
                    },
                    durableObjects: { VENDOR_STATE: { className: "VendorState", useSQLite: true } },
                  },
                ],
              },
            }),
          ],
          test: {
            ...shared,
            name: "workers",
            include: ["test/**/*.test.ts"],
            exclude: UNIT,
            setupFiles: ["./test/setup/apply-migrations.ts", "./test/setup/log-scan.ts"],
            // Every workers file loads the hub's module graph afresh (about 4 s a file, most of a
            // file's time); zod, Hono and libphonenumber are ~200 of its ~540 modules, so Vite
            // pre-bundles them into a few: each file's setup about a quarter shorter.
            deps: {
              optimizer: {
                ssr: {
                  enabled: true,
                  include: [
                    "zod/mini",
                    "zod/v4/core",
                    "hono",
                    "hono/factory",
                    "hono/hono-base",
                    "hono/jsx",
                    "hono/jsx/jsx-runtime",
                    "hono/jsx/jsx-dev-runtime",
                    "hono/router",
                    "hono/router/pattern-router",
                    "libphonenumber-js/core/es6",
                  ],
                },
              },
            },
          },
        },
      ],
    },
  };
});
