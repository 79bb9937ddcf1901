import * as z from "zod";

/** The parts of Follow Up Boss resources the hub reads; everything else passes through. */
export const FubPerson = z.looseObject({
  id: z.number(),
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
  name: z.string().nullish(),
  stage: z.string().nullish(),
  source: z.string().nullish(),
  updated: z.string().nullish(),
  emails: z.array(z.looseObject({ value: z.string() })).default([]),
  phones: z.array(z.looseObject({ value: z.string() })).default([]),
  assignedUserId: z.number().nullish(),
  assignedTo: z.string().nullish(),
});
export type FubPerson = z.infer<typeof FubPerson>;

export const FubDeal = z.looseObject({
  id: z.number(),
  name: z.string(),
  stageId: z.number().nullish(),
  stageName: z.string().nullish(),
  pipelineId: z.number().nullish(),
  price: z.number().nullish(),
  people: z.array(z.looseObject({ id: z.number() })).nullish(),
  peopleIds: z.array(z.number()).nullish(),
  users: z.array(z.looseObject({ id: z.number(), name: z.string().nullish() })).nullish(),
  updated: z.string().nullish(),
  updatedAt: z.string().nullish(),
  projectedCloseDate: z.string().nullish(),
});
export type FubDeal = z.infer<typeof FubDeal>;

export const FubStage = z.looseObject({ id: z.number(), name: z.string() });
export type FubStage = z.infer<typeof FubStage>;

export const FubPipeline = z.looseObject({ id: z.number(), name: z.string(), stages: z.array(FubStage).default([]) });
export type FubPipeline = z.infer<typeof FubPipeline>;

/** A (deal) custom field definition: deals carry its value under `name` (`customTransactionID`). */
export const FubCustomField = z.looseObject({ id: z.number(), name: z.string(), label: z.string().nullish(), type: z.string().nullish() });
export type FubCustomField = z.infer<typeof FubCustomField>;

export const FubMetadata = z.looseObject({ total: z.number().nullish(), next: z.string().nullish(), nextLink: z.string().nullish() });

/** The body of POST /v1/events (the lead path: it fires FUB's own routing and action plans). */
export const FubEventBody = z.object({
  source: z.string(),
  system: z.string().optional(),
  type: z.string(),
  message: z.string().optional(),
  description: z.string().optional(),
  occurredAt: z.string().optional(),
  person: z.object({
    id: z.number().optional(),
    firstName: z.string().optional(),
    lastName: z.string().optional(),
    emails: z.array(z.object({ value: z.string(), type: z.string().optional() })).optional(),
    phones: z.array(z.object({ value: z.string(), type: z.string().optional() })).optional(),
    tags: z.array(z.string()).optional(),
    sourceUrl: z.string().optional(),
    assignedTo: z.string().optional(),
    addresses: z.array(z.record(z.string(), z.string())).optional(),
  }),
  property: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
});
export type FubEventBody = z.infer<typeof FubEventBody>;
