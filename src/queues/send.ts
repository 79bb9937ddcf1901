/**
 * Everything that leaves for a queue other than a canonical event (`emit`): the intake's
 * deliveries, jobs, replays. Only `src/queues/` calls a queue binding's `send`/`sendBatch`.
 */
import { type RecordedJob, sentStatement } from "../store/outbox";
import type { InboundMessage, JobMessage } from "./messages";
import { QueueName, queueOf } from "./names";

/** Messages per `sendBatch` (the platform takes up to 100, and 256 KB in all). */
const BATCH = 50;

/** Sends bodies to one queue in order: one `send` for one, batches of BATCH for more. */
export async function sendAll(queue: Queue, messages: ReadonlyArray<{ body: unknown; delaySeconds?: number | undefined }>): Promise<void> {
  const options = (m: { delaySeconds?: number | undefined }) => ({
    contentType: "json" as const,
    ...(m.delaySeconds !== undefined ? { delaySeconds: m.delaySeconds } : {}),
  });
  const [only] = messages;
  if (messages.length === 1 && only) {
    await queue.send(only.body, options(only));
    return;
  }
  for (let i = 0; i < messages.length; i += BATCH) {
    await queue.sendBatch(messages.slice(i, i + BATCH).map((m) => ({ body: m.body, ...options(m) })));
  }
}

/** The intake's verified delivery onto the `inbound` queue; resolves once it is durably queued. */
export async function enqueueInbound(env: Env, message: InboundMessage): Promise<void> {
  await env.INBOUND.send(message, { contentType: "json" });
}

/** Journaled deliveries whose queue message was lost, back onto `inbound` as they were journaled. */
export function requeueInbound(env: Env, messages: readonly unknown[]): Promise<void> {
  return sendAll(
    env.INBOUND,
    messages.map((body) => ({ body })),
  );
}

/** Enqueues jobs on one queue, in order: a job rides the queue of the vendor it talks to. */
export function enqueue(env: Env, queue: QueueName, jobs: JobMessage | readonly JobMessage[]): Promise<void> {
  const list: readonly JobMessage[] = "kind" in jobs ? [jobs] : jobs;
  return sendAll(
    queueOf(env, queue),
    list.map((body) => ({ body })),
  );
}

/** A stored message body (a dead letter being replayed) back onto a queue it failed on, as stored. */
export async function resend(env: Env, queue: QueueName, body: unknown): Promise<void> {
  await queueOf(env, queue).send(body, { contentType: "json" });
}

/** Stored bodies back onto one queue in one batch, each after its own delay; the caller sizes the batch. */
export async function resendBatch(
  env: Env,
  queue: QueueName,
  messages: ReadonlyArray<{ body: unknown; delaySeconds: number }>,
): Promise<void> {
  await queueOf(env, queue).sendBatch(messages.map((m) => ({ body: m.body, contentType: "json" as const, delaySeconds: m.delaySeconds })));
}

/**
 * Jobs recorded in the outbox with the change that set them off, onto their queues (each queue's
 * in their recorded order, in batches), then forgotten. A row naming a queue the hub does not
 * have throws before any job is sent, and every row stays recorded.
 */
export async function sendRecorded(env: Env, jobs: readonly RecordedJob[]): Promise<void> {
  if (jobs.length === 0) return;
  const byQueue = new Map<QueueName, Array<{ body: unknown }>>();
  for (const job of jobs) {
    const queue = QueueName.parse(job.queue);
    const bodies = byQueue.get(queue) ?? [];
    bodies.push({ body: job.body });
    byQueue.set(queue, bodies);
  }
  for (const [queue, bodies] of byQueue) await sendAll(queueOf(env, queue), bodies);
  await sentStatement(
    env.DB,
    jobs.map((j) => j.id),
  ).run();
}
