import { env } from "cloudflare:workers";
import { exports } from "cloudflare:workers";
import { signDocuSign, signDotloop, signFollowUpBoss, signQuickBooks, signStandardWebhook } from "../../src/verify";

export type Source = "standard" | "zillow" | "realtor" | "idx" | "followupboss" | "dotloop" | "quickbooks" | "docusign";

export interface Delivery {
  source: Source;
  headers: Record<string, string>;
  body: string;
}

const secret = (source: Source): string => {
  const value = (env as unknown as Record<string, string>)[`WEBHOOK_SECRET_${source.toUpperCase()}`];
  if (!value) throw new Error(`no secret for ${source}`);
  return value;
};

/** A realistic body for each source, unique per `n`. */
export function sampleBody(source: Source, n: string): unknown {
  switch (source) {
    case "standard":
      return {
        type: "person.upserted",
        timestamp: new Date().toISOString(),
        data: { person: { firstName: "Ana", lastName: "Ruiz", emails: [{ value: `ana${n}@example.com` }] } },
      };
    case "zillow":
      return {
        type: "lead.created",
        timestamp: new Date().toISOString(),
        data: {
          contact_name: "Ana Ruiz",
          contact_email_address: `Ana${n}@Example.com`,
          phone_number: "(512) 555-0142",
          message: "Is it available?",
          listing: { street: "12 Oak Ln", city: "Austin", state: "TX", zip: "78701", mls_id: "1234567", price: "$450,000" },
        },
      };
    case "realtor":
      return {
        type: "lead.created",
        timestamp: new Date().toISOString(),
        data: {
          lead_id: `r-${n}`,
          role: "buyer",
          contact: { first_name: "Li", last_name: "Wei", email: `li${n}@example.com`, phone: "512.555.0199" },
          message: "Tour?",
        },
      };
    case "idx":
      return {
        type: "lead.created",
        timestamp: new Date().toISOString(),
        data: { firstName: "Sam", lastName: "Okafor", email: `sam${n}@example.com`, phone: "5125550123", message: "Call me" },
      };
    case "followupboss":
      return {
        eventId: `fub-${n}`,
        eventCreated: new Date().toISOString(),
        event: "peopleUpdated",
        resourceIds: [101],
        uri: "https://api.followupboss.com/v1/people?id=101",
      };
    case "dotloop":
      return {
        eventId: `dl-${n}`,
        eventType: "LOOP_UPDATED",
        timestamp: Date.now(),
        subscriptionExternalId: "brokerage-1",
        event: { id: "34308", profileId: "4711", loopId: "34308" },
      };
    case "quickbooks":
      return {
        eventNotifications: [
          {
            realmId: "9130350000000001",
            dataChangeEvent: { entities: [{ name: "Invoice", id: n, operation: "Create", lastUpdated: new Date().toISOString() }] },
          },
        ],
      };
    case "docusign":
      return {
        event: "envelope-completed",
        apiVersion: "v2.1",
        generatedDateTime: new Date().toISOString(),
        data: { accountId: "acc-1", envelopeId: `env-${n}`, envelopeSummary: { status: "completed", emailSubject: "Purchase agreement" } },
      };
  }
}

/** Builds a correctly signed delivery of `body` from `source`, as the vendor would send it. */
export async function signedDelivery(source: Source, body: unknown, opts: { id?: string; now?: number } = {}): Promise<Delivery> {
  const raw = typeof body === "string" ? body : JSON.stringify(body);
  const now = opts.now ?? Math.floor(Date.now() / 1000);
  let headers: Record<string, string>;
  switch (source) {
    case "standard":
    case "zillow":
    case "realtor":
    case "idx":
      headers = await signStandardWebhook({
        secret: secret(source),
        id: opts.id ?? `msg_${crypto.randomUUID()}`,
        timestamp: now,
        body: raw,
      });
      break;
    case "followupboss":
      headers = await signFollowUpBoss({ secret: secret(source), body: raw });
      break;
    case "dotloop":
      headers = await signDotloop({ secret: secret(source), body: raw, timestamp: now * 1000 });
      break;
    case "quickbooks":
      headers = await signQuickBooks({ secret: secret(source), body: raw });
      break;
    case "docusign":
      headers = await signDocuSign({ secret: secret(source), body: raw });
      break;
  }
  return { source, headers: { "content-type": "application/json", ...headers }, body: raw };
}

/** Sends a delivery to the hub's own entry, exactly as a vendor's POST would arrive. */
export function post(d: Delivery, path = `/hooks/${d.source}`): Promise<Response> {
  return exports.default.fetch(`http://hub.test${path}`, { method: "POST", headers: d.headers, body: d.body });
}

/** Polls until `check` returns a value, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | null | undefined | false>, timeoutMs = 5_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > until) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 25));
  }
}
