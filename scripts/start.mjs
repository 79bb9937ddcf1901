// `npm start`: the hub (http://127.0.0.1:8787) and the vendor sandbox (http://127.0.0.1:8788),
// with local D1/KV/Queues/Durable Objects under .wrangler/, wired both ways. One Ctrl-C stops both.
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { localHubVars, varArgs } from "./lib/local-vars.mjs";
import { ensureDevVars } from "./lib/dev-vars.mjs";

const hubPort = process.env.HUB_PORT ?? "8787";
const sandboxPort = process.env.SANDBOX_PORT ?? "8788";
// Each runtime gets its own DevTools port: started together, both would otherwise pick 9229 and
// one of them fail (wrangler does not probe for a free port when it believes it runs in CI).
const hubInspector = process.env.HUB_INSPECTOR_PORT ?? "9229";
const sandboxInspector = process.env.SANDBOX_INSPECTOR_PORT ?? "9230";
const hubUrl = `http://127.0.0.1:${hubPort}`;
const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;

for (const note of ensureDevVars()) console.log(`[start] ${note}`);

const migrate = spawnSync("npx", ["wrangler", "d1", "migrations", "apply", "DB", "--local"], {
  stdio: ["ignore", "inherit", "inherit"],
  env: { ...process.env, CI: "true" }, // no interactive confirmation
});
if (migrate.status !== 0) process.exit(migrate.status ?? 1);

const children = [
  [
    "sandbox",
    [
      "wrangler",
      "dev",
      "-c",
      "sandbox/wrangler.toml",
      "--port",
      sandboxPort,
      "--ip",
      "127.0.0.1",
      "--inspector-port",
      sandboxInspector,
      "--var",
      `HUB_URL:${hubUrl}`,
      "--persist-to",
      ".wrangler/sandbox-state",
    ],
  ],
  [
    "hub",
    [
      "wrangler",
      "dev",
      "--port",
      hubPort,
      "--ip",
      "127.0.0.1",
      "--inspector-port",
      hubInspector,
      "--test-scheduled",
      "--persist-to",
      ".wrangler/state",
      "--var",
      "INTAKE_JOURNAL:on",
      ...varArgs(localHubVars({ hub: hubUrl, sandbox: sandboxUrl })),
    ],
  ],
].map(([name, args]) => {
  // Each child leads its own process group, so stopping reaches npx, wrangler and workerd alike.
  const child = spawn("npx", args, { stdio: ["ignore", "inherit", "inherit"], detached: true });
  child.on("exit", (code, signal) => {
    console.log(`[start] ${name} exited (${signal ?? code}); stopping`);
    stop(code ?? 1);
  });
  return child;
});

let stopping = false;
function stop(code) {
  if (stopping) return;
  stopping = true;
  for (const c of children) {
    if (c.exitCode !== null) continue;
    try {
      process.kill(-c.pid, "SIGTERM");
    } catch {
      c.kill("SIGTERM");
    }
  }
  setTimeout(() => process.exit(code), 500).unref();
}
process.on("SIGINT", () => stop(0));
process.on("SIGTERM", () => stop(0));

/** The ops token a newcomer signs in with: the one in .dev.vars, which `npm start` created. */
function localOpsToken() {
  const m = /^OPS_TOKEN="?([^"\n]*)"?/m.exec(readFileSync(".dev.vars", "utf8"));
  return m?.[1] ?? "(OPS_TOKEN in .dev.vars)";
}

async function answers(url) {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(2000) })).status < 500;
  } catch {
    return false;
  }
}

// Wrangler's last lines are its binding tables; end the start-up with what a newcomer acts on.
const deadline = Date.now() + 180_000;
while (!stopping && Date.now() < deadline) {
  if ((await answers(`${hubUrl}/health`)) && (await answers(`${sandboxUrl}/_sandbox`))) {
    console.log(
      [
        "",
        "  dealwire is running (local D1, KV, Queues and Durable Objects under .wrangler/)",
        `  hub        ${hubUrl}            webhooks at ${hubUrl}/hooks/<source>`,
        `  dashboard  ${hubUrl}/ops        sign in with the token ${localOpsToken()}`,
        `  sandbox    ${sandboxUrl}/_sandbox   the simulated vendors and their control API`,
        "  try        node scripts/sandbox-leads.mjs --source zillow --count 50",
        "  stop       Ctrl-C",
        "",
      ].join("\n"),
    );
    break;
  }
  await new Promise((r) => setTimeout(r, 500));
}
