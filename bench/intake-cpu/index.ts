/**
 * The intake's own CPU beside the floor's, without I/O: one isolate holds the hub's production
 * entry and the floor Worker, and runs prepared deliveries through each one's `fetch` in turns.
 * KV and the queue are in-memory stand-ins that answer at once (a KV miss, an accepted send), so
 * what the runner times is each side's JavaScript and the runtime calls it makes, not the I/O the
 * ingest bench also counts (bench/intake-cpu.mjs).
 */
import hub from "../../src/index";
import floor from "../floor/index";

interface Delivery {
  body: string;
  headers: Record<string, string>;
}

let deliveries: Delivery[] = [];
let sent = 0;
const kv = { get: async () => null } as unknown as KVNamespace;
const queue = {
  send: async () => {
    sent++;
  },
  sendBatch: async () => undefined,
} as unknown as Queue;

export default {
  async fetch(req: Request, env: Record<string, unknown>, ctx: ExecutionContext): Promise<Response> {
    const url = new URL(req.url);
    if (req.method === "POST") {
      deliveries = await req.json<Delivery[]>();
      return new Response(String(deliveries.length));
    }
    const side = url.searchParams.get("side");
    const hubEnv = { ...env, IDEMPOTENCY: kv, INBOUND: queue, INTAKE_JOURNAL: "off" } as unknown as Env;
    const floorEnv = { IDEMPOTENCY: kv, INBOUND: queue };
    sent = 0;
    for (const d of deliveries) {
      // Typed as the runtime types an incoming request; the intake reads none of its edge properties.
      const r = new Request(side === "hub" ? "http://hub/hooks/idx" : "http://floor/", {
        method: "POST",
        headers: { ...d.headers, "content-length": String(new TextEncoder().encode(d.body).byteLength) },
        body: d.body,
      });
      const res =
        side === "hub" ? await hub.fetch(r as Request<unknown, IncomingRequestCfProperties>, hubEnv, ctx) : await floor.fetch(r, floorEnv);
      if (res.status !== 202) return new Response(`${side} answered ${res.status}: ${await res.text()}`, { status: 500 });
      await res.arrayBuffer();
    }
    return new Response(String(sent));
  },
};
