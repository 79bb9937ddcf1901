// The benchmarks' intake load: new signed lead deliveries, as a lead portal sends them.
import autocannon from "autocannon";
import { devSecrets, standardWebhookHeaders } from "./sign.mjs";

const secrets = devSecrets();
let seq = 0;

/** A new lead delivery's body (every call a new person, so none is a duplicate). */
export function leadBody(tag) {
  seq++;
  return JSON.stringify({
    type: "lead.created",
    timestamp: new Date().toISOString(),
    data: {
      firstName: "Bench",
      lastName: `Lead${seq}`,
      email: `bench.${tag}.${seq}@example.com`,
      phone: `512555${String(seq % 10000).padStart(4, "0")}`,
      message: "Please call",
    },
  });
}

/** A body with the Standard Webhooks headers the hub's IDX source verifies. */
export function signedLead(tag) {
  const body = leadBody(tag);
  return { body, headers: standardWebhookHeaders(secrets.WEBHOOK_SECRET_IDX, body) };
}

/**
 * Signed lead deliveries, each new, at `connections` concurrency for `duration` seconds; resolves
 * with autocannon's result. The bare and floor Workers get the very same kind of deliveries, so
 * the load generator (on the same cores) works alike for every side.
 */
export function leadLoad(url, { connections, duration }) {
  return new Promise((resolve, reject) => {
    const inst = autocannon(
      {
        url,
        method: "POST",
        connections,
        duration,
        requests: [
          {
            setupRequest(req) {
              return { ...req, method: "POST", ...signedLead("load") };
            },
          },
        ],
      },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
    inst.on("error", reject);
  });
}
