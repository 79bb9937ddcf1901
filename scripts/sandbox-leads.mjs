#!/usr/bin/env node
// Asks the running vendor sandbox (npm start) to emit simulated leads to the hub, and prints a
// summary. Usage: node scripts/sandbox-leads.mjs [--source zillow|realtor|idx] [--count 50]
//   [--repeat-rate 0.2] [--seed 42] [--url http://127.0.0.1:8788] [--json]
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    source: { type: "string", default: "zillow" },
    count: { type: "string", default: "1" },
    "repeat-rate": { type: "string" },
    seed: { type: "string" },
    url: { type: "string", default: process.env.SANDBOX_URL ?? "http://127.0.0.1:8788" },
    json: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});

if (values.help) {
  console.log(
    "node scripts/sandbox-leads.mjs [--source zillow|realtor|idx] [--count N] [--repeat-rate 0..1] [--seed N] [--url URL] [--json]",
  );
  process.exit(0);
}

const body = { source: values.source, count: Number(values.count) };
if (values["repeat-rate"] !== undefined) body.repeatRate = Number(values["repeat-rate"]);
if (values.seed !== undefined) body.seed = Number(values.seed);

let res;
try {
  res = await fetch(`${values.url.replace(/\/$/, "")}/_sandbox/leads`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
} catch (err) {
  console.error(`Cannot reach the sandbox at ${values.url} (is \`npm start\` running?): ${err.message}`);
  process.exit(1);
}
const out = await res.json();
if (!res.ok) {
  console.error(`The sandbox refused the request (${res.status}):`, JSON.stringify(out, null, 2));
  process.exit(1);
}
if (values.json) {
  console.log(JSON.stringify(out, null, 2));
  process.exit(0);
}

const repeats = out.leads.filter((l) => l.repeat).length;
const dropped = out.leads.filter((l) => l.dropped).length;
const duplicated = out.leads.filter((l) => l.duplicated).length;
console.log(`${out.count} ${out.source} lead(s), ${out.people} distinct people (${repeats} repeats), seed ${out.seed}`);
console.log(
  `delivery: ${out.delivery === "http" ? "POSTed to the hub's /hooks/" + out.source : "kept in the sandbox outbox"}` +
    `${dropped || duplicated ? ` (fault settings: ${dropped} dropped, ${duplicated} duplicated)` : ""}`,
);
for (const l of out.leads.slice(0, 10)) {
  const e = l.expected;
  console.log(`  ${l.webhookId}  ${e.firstName} ${e.lastName} <${e.email}> ${e.phone}${l.repeat ? "  (repeat)" : ""}`);
}
if (out.leads.length > 10) console.log(`  ... and ${out.leads.length - 10} more (--json for all)`);
