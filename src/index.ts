import { backfillMessage } from "./backfill/run";
import type { BrokerageConfig } from "./config/brokerage";
import { brokerageConfig } from "./config/load";
import { accountingMessage } from "./consumers/accounting";
import { crmMessage } from "./consumers/crm";
import { consumeDeadLetters } from "./consumers/dead-letter";
import { healthMessage } from "./consumers/health";
import { ingestMessage } from "./consumers/ingest";
import { mergeMessage } from "./consumers/merge";
import { mlsMessage } from "./consumers/mls";
import { pollMessage } from "./consumers/poll";
import { tmsMessage } from "./consumers/tms";
import { runScheduled } from "./cron";
import { dispatchBatch, type Consumers } from "./queues/dispatch";
import { policyForFailure } from "./queues/retry-policy";
import { createApp, createIntakeApp } from "./routes/app";
import { connect } from "./routes/connect";
import { health } from "./routes/health";
import { hooks } from "./routes/hooks";
import { ops } from "./routes/ops";

export { VendorGate } from "./durable/vendor-gate";

const app = createApp();
app.route("/health", health);
app.route("/connect", connect);
app.route("/ops", ops);

// The webhook intake on an app of its own, holding only its routes, so matching a delivery walks
// none of the operator routes, and running no middleware (see createIntakeApp).
const intake = createIntakeApp();
intake.route("/hooks", hooks);
/** Whether a request URL's path is under /hooks/ (read without parsing the URL, as Hono does). */
const isIntake = (url: string) => url.startsWith("/hooks/", url.indexOf("/", url.indexOf("//") + 2));

/** Every queue's consumer, handed to the dispatcher of `src/queues/`. */
const consumers: Consumers = {
  queues: { inbound: ingestMessage, crm: crmMessage, tms: tmsMessage, accounting: accountingMessage, mls: mlsMessage },
  jobs: {
    poll: (body, env, { queue }) => pollMessage(body, env, queue),
    mls: mlsMessage,
    backfill: (body, env, { id }) => backfillMessage(body, env, id),
    health: healthMessage,
    merge: mergeMessage,
  },
  deadLetters: consumeDeadLetters,
  policies: (env) => {
    // Without a valid configuration the built-in ladder applies: an invalid configuration fails
    // each message on its own, visibly.
    let config: BrokerageConfig | null = null;
    try {
      config = brokerageConfig(env);
    } catch {}
    return (failure) => policyForFailure(failure, config);
  },
};

export default {
  fetch: (req, env, ctx) => (isIntake(req.url) ? intake : app).fetch(req, env, ctx),
  queue: (batch, env) => dispatchBatch(batch, env, consumers),
  async scheduled(controller, env, ctx) {
    ctx.waitUntil(runScheduled(controller, env));
  },
} satisfies ExportedHandler<Env, unknown>;
