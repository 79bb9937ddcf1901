/** The hub's work queues by name (without the deployment prefix). */
export type QueueName = "inbound" | "crm" | "tms" | "accounting" | "mls";

/** The producer binding of a work queue. */
export function queueOf(env: Env, q: QueueName): Queue {
  return q === "inbound" ? env.INBOUND : q === "crm" ? env.CRM : q === "tms" ? env.TMS : q === "mls" ? env.MLS : env.ACCOUNTING;
}
