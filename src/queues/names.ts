import * as z from "../lib/zod";

/** The hub's work queues by name (without the deployment prefix `dealwire-`). */
export const QueueName = z.enum(["inbound", "crm", "tms", "accounting", "mls"]);
export type QueueName = z.infer<typeof QueueName>;

/** The queues canonical events are published to: every work queue but the intake's. */
export type SubscriberQueue = Exclude<QueueName, "inbound">;

/** The producer binding of a work queue. */
export function queueOf(env: Env, q: QueueName): Queue {
  return q === "inbound" ? env.INBOUND : q === "crm" ? env.CRM : q === "tms" ? env.TMS : q === "mls" ? env.MLS : env.ACCOUNTING;
}
