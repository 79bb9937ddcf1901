// Seeding the hub through its real paths: signed lead webhooks (Standard Webhooks, as Zillow and
// Realtor.com send them), the sandbox's own lead emitters, its fault switches and its CRM API.
import { createHmac, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";

/** KEY="value" lines of a .dev.vars file. */
export function readVars(file) {
  const out = {};
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const m = /^([A-Z0-9_]+)="?(.*?)"?$/.exec(line.trim());
    if (m) out[m[1]] = m[2];
  }
  return out;
}

/** Standard Webhooks headers for `body`: HMAC-SHA256 over `id.timestamp.body` with the whsec_ key. */
export function standardWebhookHeaders(secret, body, id = `msg_${randomUUID()}`) {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64");
  return {
    "content-type": "application/json",
    "webhook-id": id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": `v1,${signature}`,
  };
}

export function zillowBody(p) {
  return {
    type: "lead.created",
    timestamp: new Date().toISOString(),
    data: {
      contact_name: p.name,
      contact_email_address: p.email,
      phone_number: p.phone,
      message: "Is it still available?",
      listing: { street: "12 Oak Ln", city: "Austin", state: "TX", zip: "78701", mls_id: "1234567", price: "$450,000" },
    },
  };
}

export function realtorBody(p) {
  const [first, ...rest] = p.name.split(" ");
  return {
    type: "lead.created",
    timestamp: new Date().toISOString(),
    data: {
      lead_id: `r-${randomUUID()}`,
      role: "buyer",
      contact: { first_name: first, last_name: rest.join(" "), email: p.email, phone: p.phone },
      message: "Can we tour Saturday?",
    },
  };
}

/** POSTs a signed lead to the hub's webhook route; returns the delivery id. */
export async function sendLead(hub, vars, source, person) {
  const body = JSON.stringify(source === "zillow" ? zillowBody(person) : realtorBody(person));
  const res = await fetch(`${hub}/hooks/${source}`, {
    method: "POST",
    headers: standardWebhookHeaders(vars[`WEBHOOK_SECRET_${source.toUpperCase()}`], body),
    body,
  });
  if (res.status !== 202) throw new Error(`lead not accepted: ${res.status} ${await res.text()}`);
  return (await res.json()).id;
}

export async function sandboxJson(sandbox, path, body, method = "POST") {
  const res = await fetch(`${sandbox}${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Follow Up Boss API call as a registered system would make it. */
export async function fub(sandbox, vars, path, body) {
  const res = await fetch(`${sandbox}/followupboss${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: {
      authorization: `Basic ${Buffer.from(`${vars.FOLLOWUPBOSS_API_KEY}:`).toString("base64")}`,
      "x-system": vars.FOLLOWUPBOSS_SYSTEM,
      "x-system-key": vars.FOLLOWUPBOSS_SYSTEM_KEY,
      "content-type": "application/json",
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`FUB ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Polls `check` until it returns a truthy value. */
export async function until(what, check, timeoutMs = 20_000) {
  const end = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ""}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
