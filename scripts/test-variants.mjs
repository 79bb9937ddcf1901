#!/usr/bin/env node
// Runs the flow tests a published vendor variant can change, once per variant: the sandbox
// starts every reset from the variant's settings (SANDBOX_VARIANT) and the hub is configured to
// read it where it must be told (WEBHOOK_SCHEMES), so the same flows pass whichever way the real
// vendor turns out to behave. `--only <name>` runs one variant; extra arguments go to vitest.
import { spawnSync } from "node:child_process";
import { VARIANTS } from "./lib/variants.mjs";

const args = process.argv.slice(2);
const onlyAt = args.indexOf("--only");
const only = onlyAt >= 0 ? args.splice(onlyAt, 2)[1] : undefined;
const chosen = VARIANTS.filter((v) => !only || v.name === only);
if (chosen.length === 0) {
  console.error(`no variant named ${only}; one of: ${VARIANTS.map((v) => v.name).join(", ")}`);
  process.exit(2);
}
let failed = 0;
for (const v of chosen) {
  console.log(`\n[variants] ${v.name}: ${JSON.stringify(v.sandbox)}`);
  const r = spawnSync("npx", ["vitest", "run", ...v.files, ...args], {
    stdio: "inherit",
    env: { ...process.env, SANDBOX_VARIANT: JSON.stringify(v.sandbox), ...(v.hub ?? {}) },
  });
  if (r.status !== 0) {
    failed++;
    console.error(`[variants] ${v.name}: failed`);
  }
}
process.exit(failed ? 1 : 0);
