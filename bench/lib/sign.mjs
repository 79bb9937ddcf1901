// Standard Webhooks signing in Node for load generators (the hub verifies with Web Crypto).
import { createHmac, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";

export function devSecrets() {
  const out = {};
  for (const line of readFileSync(".dev.vars.example", "utf8").split("\n")) {
    const m = /^([A-Z0-9_]+)="?(.*?)"?$/.exec(line.trim());
    if (m) out[m[1]] = m[2];
  }
  return out;
}

export function standardWebhookHeaders(secret, body, id = `msg_${randomUUID()}`, ts = Math.floor(Date.now() / 1000)) {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const sig = createHmac("sha256", key).update(`${id}.${ts}.${body}`).digest("base64");
  return { "content-type": "application/json", "webhook-id": id, "webhook-timestamp": String(ts), "webhook-signature": `v1,${sig}` };
}
