import type { Failure, Result } from "../lib/result";
import { type JobKind, jobKind } from "./messages";
import { QueueName } from "./names";
import type { RetryPolicy } from "./retry-policy";
import { runBatch } from "./run-batch";

/** A consumer of one queue's messages; every expected failure comes back as a value. */
export type QueueHandler = (body: unknown, env: Env) => Promise<Result<unknown>>;

/** A consumer of one kind of job, on whichever queue the job rides. */
export type JobHandler = (body: unknown, env: Env, meta: { id: string; queue: QueueName; attempts: number }) => Promise<Result<unknown>>;

/**
 * What the Worker's entry wires in: the consumers live above this layer, so they are handed in
 * rather than imported.
 */
export interface Consumers {
  /** Inbound deliveries and canonical events, by the queue they arrive on. */
  queues: Record<QueueName, QueueHandler>;
  /** Jobs, by their `kind`; they ride the queue of the vendor they talk to. */
  jobs: Record<JobKind, JobHandler>;
  /** The dead-letter queue's consumer (and its fallback's). */
  deadLetters: (batch: MessageBatch<unknown>, env: Env) => Promise<void>;
  /** The retry ladder for a failure, as the brokerage configured it (read once per batch). */
  policies: (env: Env) => (failure: Failure | undefined) => RetryPolicy;
}

/** Routes one batch, by its queue's name (without the deployment prefix), to its consumer. */
export async function dispatchBatch(batch: MessageBatch<unknown>, env: Env, consumers: Consumers): Promise<void> {
  const name = batch.queue.replace(/^dealwire-/, "");
  // The dead-letter queue's own dead-letter queue takes what the platform moves after its
  // retries; the same consumer stores both.
  if (name === "dead-letter" || name === "dead-letter-fallback") return consumers.deadLetters(batch, env);
  const queue = QueueName.safeParse(name);
  if (!queue.success) throw new Error(`no consumer for queue ${batch.queue}`);
  const handler = consumers.queues[queue.data];
  await runBatch(
    batch,
    env,
    queue.data,
    (body, meta) => {
      const kind = jobKind(body);
      return kind ? consumers.jobs[kind](body, env, { id: meta.id, queue: queue.data, attempts: meta.attempts }) : handler(body, env);
    },
    consumers.policies(env),
  );
}
