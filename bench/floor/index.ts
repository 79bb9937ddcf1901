/**
 * The ingest benchmark's second baseline: a Worker that does only the two binding calls the
 * design requires of every acknowledgement (one KV read, one queue send) and nothing else. What
 * it manages on a runtime bounds what any intake built on that design can manage there.
 */
interface FloorEnv {
  IDEMPOTENCY: KVNamespace;
  INBOUND: Queue;
}

export default {
  async fetch(req: Request, env: FloorEnv): Promise<Response> {
    const body = await req.text();
    const id = crypto.randomUUID();
    if ((await env.IDEMPOTENCY.get(`seen:floor:${id}`)) !== null) return new Response('{"status":"duplicate"}');
    await env.INBOUND.send({ id, body }, { contentType: "json" });
    return new Response(JSON.stringify({ status: "queued", id }), { status: 202, headers: { "content-type": "application/json" } });
  },
  /**
   * Beside the hub with its consumers working, the floor's queue has a consumer too: the local
   * runtime's queue broker drops a message sent to a queue nobody consumes without reading it,
   * and keeps, decodes and schedules one that has a consumer. It only acknowledges.
   */
  async queue(batch: MessageBatch): Promise<void> {
    batch.ackAll();
  },
} satisfies ExportedHandler<FloorEnv>;
