import { backfillMessage, isBackfillMessage } from "./backfill/run";
import { accountingMessage } from "./consumers/accounting";
import { crmMessage } from "./consumers/crm";
import { consumeDeadLetters } from "./consumers/dead-letter";
import { ingestMessage } from "./consumers/ingest";
import { policyForFailure } from "./consumers/retry-policy";
import { runBatch, type QueueName } from "./consumers/run-batch";
import type { BrokerageConfig } from "./config/brokerage";
import { brokerageConfig } from "./config/load";
import { pollMessage } from "./consumers/poll";
import { mlsMessage } from "./consumers/mls";
import { isMlsMessage } from "./mls/messages";
import { tmsMessage } from "./consumers/tms";
import { runScheduled } from "./cron";
import { isPollMessage } from "./cron/poll-message";
import type { Result } from "./lib/result";
import { createApp } from "./routes/app";
import { connect } from "./routes/connect";
import { health } from "./routes/health";
import { hooks } from "./routes/hooks";
import { ops } from "./routes/ops";

export { VendorGate } from "./durable/vendor-gate";

const app = createApp();
app.route("/health", health);
app.route("/hooks", hooks);
app.route("/connect", connect);
app.route("/ops", ops);

type Handler = (body: unknown, env: Env) => Promise<Result<unknown>>;
const handlers: Record<QueueName, Handler> = {
  inbound: ingestMessage,
  crm: crmMessage,
  tms: tmsMessage,
  accounting: accountingMessage,
  mls: mlsMessage,
};

export default {
  fetch: app.fetch,
  /** Queue name (without the deployment prefix) → consumer. */
  async queue(batch, env) {
    const name = batch.queue.replace(/^dealwire-/, "");
    // The dead-letter queue's own dead-letter queue takes what the platform moves after its
    // retries; the same consumer stores both.
    if (name === "dead-letter" || name === "dead-letter-fallback") return consumeDeadLetters(batch, env);
    const handler = handlers[name as QueueName];
    if (!handler) throw new Error(`no consumer for queue ${batch.queue}`);
    let config: BrokerageConfig | null = null;
    try {
      config = brokerageConfig(env);
    } catch {
      config = null; // an invalid configuration fails each message on its own, visibly
    }
    await runBatch(
      batch,
      env,
      name as QueueName,
      (body, meta) =>
        isPollMessage(body)
          ? pollMessage(body, env, name as QueueName)
          : isMlsMessage(body)
            ? mlsMessage(body, env, meta)
            : isBackfillMessage(body)
              ? backfillMessage(body, env, meta.id)
              : handler(body, env),
      (failure) => policyForFailure(failure, config),
    );
  },
  async scheduled(controller, env, ctx) {
    ctx.waitUntil(runScheduled(controller, env));
  },
} satisfies ExportedHandler<Env, unknown>;
