import { consumeDeadLetters } from "./consumers/dead-letter";
import { ingestMessage } from "./consumers/ingest";
import { runBatch } from "./consumers/run-batch";
import { createApp } from "./routes/app";
import { health } from "./routes/health";
import { hooks } from "./routes/hooks";

export { VendorGate } from "./durable/vendor-gate";

const app = createApp();
app.route("/health", health);
app.route("/hooks", hooks);

/** Queue name → consumer. Names carry a deployment prefix (dealwire-inbound, ...). */
const consumers: Record<string, (batch: MessageBatch<unknown>, env: Env) => Promise<void>> = {
  inbound: (batch, env) => runBatch(batch, env, "inbound", (body) => ingestMessage(body, env)),
  "dead-letter": consumeDeadLetters,
};

export default {
  fetch: app.fetch,
  async queue(batch, env) {
    const name = batch.queue.replace(/^dealwire-/, "");
    const consumer = consumers[name];
    if (!consumer) throw new Error(`no consumer for queue ${batch.queue}`);
    await consumer(batch, env);
  },
} satisfies ExportedHandler<Env, unknown>;
