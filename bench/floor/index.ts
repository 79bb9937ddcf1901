/**
 * The ingest benchmark's second baseline: a Worker that does only the two binding calls the
 * design requires of every acknowledgement (one KV read, one queue send) and nothing else. What
 * it manages on a runtime bounds what any intake built on that design can manage there.
 *
 * The message it sends is an inbound delivery as the hub's ingest consumer takes it (the body
 * parsed, as the hub's own is), so beside the hub with its consumers working the floor sends to
 * the hub's inbound queue, and every delivery either side acknowledges costs the consumers the
 * same work on the runtime's one thread (bench/lib/runtime-worker.mjs).
 */
interface FloorEnv {
  IDEMPOTENCY: KVNamespace;
  INBOUND: Queue;
}

export default {
  async fetch(req: Request, env: FloorEnv): Promise<Response> {
    if (req.method !== "POST") return new Response("the bench's floor Worker"); // the harness's readiness probe
    const body: unknown = JSON.parse(await req.text());
    const id = crypto.randomUUID();
    if ((await env.IDEMPOTENCY.get(`seen:floor:${id}`)) !== null) return new Response('{"status":"duplicate"}');
    await env.INBOUND.send(
      { v: 1, deliveryId: id, source: "idx", deliveryKey: `floor:${id}`, receivedAt: Date.now(), headers: {}, body },
      { contentType: "json" },
    );
    return new Response(JSON.stringify({ status: "queued", id }), { status: 202, headers: { "content-type": "application/json" } });
  },
} satisfies ExportedHandler<FloorEnv>;
