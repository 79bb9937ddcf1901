import * as z from "../../lib/zod";

/** The parts of Follow Up Boss resources the hub reads; everything else passes through. */
export const FubPerson = z.looseObject({
  id: z.number(),
  firstName: z.nullish(z.string()),
  lastName: z.nullish(z.string()),
  name: z.nullish(z.string()),
  stage: z.nullish(z.string()),
  source: z.nullish(z.string()),
  updated: z.nullish(z.string()),
  emails: z._default(z.array(z.looseObject({ value: z.string() })), []),
  phones: z._default(z.array(z.looseObject({ value: z.string() })), []),
  assignedUserId: z.nullish(z.number()),
  assignedTo: z.nullish(z.string()),
});
export type FubPerson = z.infer<typeof FubPerson>;

export const FubDeal = z.looseObject({
  id: z.number(),
  name: z.string(),
  stageId: z.nullish(z.number()),
  stageName: z.nullish(z.string()),
  pipelineId: z.nullish(z.number()),
  price: z.nullish(z.number()),
  people: z.nullish(z.array(z.looseObject({ id: z.number() }))),
  peopleIds: z.nullish(z.array(z.number())),
  users: z.nullish(z.array(z.looseObject({ id: z.number(), name: z.nullish(z.string()) }))),
  updated: z.nullish(z.string()),
  updatedAt: z.nullish(z.string()),
  projectedCloseDate: z.nullish(z.string()),
});
export type FubDeal = z.infer<typeof FubDeal>;

export const FubStage = z.looseObject({ id: z.number(), name: z.string() });
export type FubStage = z.infer<typeof FubStage>;

export const FubPipeline = z.looseObject({ id: z.number(), name: z.string(), stages: z._default(z.array(FubStage), []) });
export type FubPipeline = z.infer<typeof FubPipeline>;

/** A (deal) custom field definition: deals carry its value under `name` (`customTransactionID`). */
export const FubCustomField = z.looseObject({
  id: z.number(),
  name: z.string(),
  label: z.nullish(z.string()),
  type: z.nullish(z.string()),
});
export type FubCustomField = z.infer<typeof FubCustomField>;

export const FubMetadata = z.looseObject({ total: z.nullish(z.number()), next: z.nullish(z.string()), nextLink: z.nullish(z.string()) });

/** The body of POST /v1/events (the lead path: it fires FUB's own routing and action plans). */
export const FubEventBody = z.object({
  source: z.string(),
  system: z.optional(z.string()),
  type: z.string(),
  message: z.optional(z.string()),
  description: z.optional(z.string()),
  occurredAt: z.optional(z.string()),
  person: z.object({
    id: z.optional(z.number()),
    firstName: z.optional(z.string()),
    lastName: z.optional(z.string()),
    emails: z.optional(z.array(z.object({ value: z.string(), type: z.optional(z.string()) }))),
    phones: z.optional(z.array(z.object({ value: z.string(), type: z.optional(z.string()) }))),
    tags: z.optional(z.array(z.string())),
    sourceUrl: z.optional(z.string()),
    assignedTo: z.optional(z.string()),
    addresses: z.optional(z.array(z.record(z.string(), z.string()))),
  }),
  property: z.optional(z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]))),
});
export type FubEventBody = z.infer<typeof FubEventBody>;
