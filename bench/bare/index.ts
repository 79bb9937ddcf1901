/** The baseline for the ingest benchmark: a Worker that answers 200 and does nothing else. */
export default {
  async fetch(req: Request): Promise<Response> {
    await req.arrayBuffer();
    return new Response('{"status":"ok"}', { status: 200, headers: { "content-type": "application/json" } });
  },
} satisfies ExportedHandler;
