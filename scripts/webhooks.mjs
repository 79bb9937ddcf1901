// `npm run webhooks -- sync|status [--url URL] [--dry-run] [--connection ID] [--json]`: registers
// the hub's webhooks in every vendor whose API allows it (through the hub's admin API, which
// holds the vendor credentials), and prints what to enter in the consoles of the others.
// The admin token comes from DEALWIRE_OPS_TOKEN (or OPS_TOKEN); the hub's URL from --url or
// DEALWIRE_URL (default http://127.0.0.1:8787).
const args = process.argv.slice(2);
const command = args.find((a) => !a.startsWith("--")) ?? "status";
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const url = (option("--url") ?? process.env.DEALWIRE_URL ?? "http://127.0.0.1:8787").replace(/\/+$/, "");
const token = process.env.DEALWIRE_OPS_TOKEN ?? process.env.OPS_TOKEN;
if (!["sync", "status"].includes(command)) {
  console.error("usage: npm run webhooks -- sync|status [--url URL] [--dry-run] [--connection ID] [--json]");
  process.exit(2);
}
if (!token) {
  console.error("set DEALWIRE_OPS_TOKEN to the hub's OPS_TOKEN");
  process.exit(2);
}
const init = { headers: { authorization: `Bearer ${token}`, "content-type": "application/json" } };
const res =
  command === "status"
    ? await fetch(`${url}/ops/api/webhooks`, init)
    : await fetch(`${url}/ops/api/webhooks/sync`, { ...init, method: "POST", body: JSON.stringify({ dryRun: args.includes("--dry-run"), ...(option("--connection") ? { connection: option("--connection") } : {}) }) });
const body = await res.json().catch(() => ({}));
if (!res.ok) {
  console.error(`${res.status} ${body.code ?? ""}: ${body.detail ?? body.title ?? JSON.stringify(body)}`);
  process.exit(1);
}
if (args.includes("--json")) {
  console.log(JSON.stringify(body, null, 2));
} else {
  console.log(`webhooks for ${body.hubUrl}${body.dryRun ? " (dry run: nothing changed)" : ""}`);
  for (const v of body.vendors) {
    console.log(`\n${v.connection} → ${v.url}`);
    if (v.error) console.log(`  ✗ ${v.error.code}: ${v.error.message}`);
    for (const a of v.actions) {
      const mark = a.error ? "✗" : a.done ? "✓" : "·";
      console.log(`  ${mark} ${a.kind.padEnd(6)} ${a.events.join(", ")}${a.from ? ` (was ${a.from})` : a.kind === "delete" ? ` (${a.url})` : ""}${a.error ? `: ${a.error}` : ""}`);
    }
  }
  for (const c of body.consoles) {
    console.log(`\n${c.vendor}: set in ${c.where}\n  URL     ${c.url}\n  events  ${c.events.join(", ")}`);
    for (const s of c.settings) console.log(`  · ${s}`);
  }
}
const failed = body.vendors.some((v) => v.error || v.actions.some((a) => a.error));
process.exit(failed ? 1 : 0);
