/**
 * A deal: one client's path from lead to close. CRMs call it a deal, TMSs a transaction (loop,
 * file); both use this one shape so either side can be reconciled against the other.
 */
import * as z from "zod";
import { AgentRef, Person, PersonRef, PersonRole } from "./person";
import { Cents, DealStage, IsoDate } from "./primitives";
import { Property } from "./property";

/** A party to the deal: an inline person, a reference to one held elsewhere, or both. */
export const Participant = z
  .object({
    role: PersonRole,
    person: Person.optional(),
    personRef: PersonRef.optional(),
  })
  .refine((p) => p.person !== undefined || p.personRef !== undefined, {
    message: "a participant needs a person or a personRef",
    path: ["person"],
  });
export type Participant = z.infer<typeof Participant>;

export const CommissionSplit = z.object({
  agent: AgentRef,
  percent: z.number().min(0).max(100).optional(),
  amountCents: Cents.optional(),
});

export const Fee = z.object({ name: z.string().min(1).max(200), amountCents: Cents });

export const Commission = z.object({
  grossCents: Cents.optional(),
  /** Gross commission as a percent of the price, when that is what the source states. */
  ratePercent: z.number().min(0).max(100).optional(),
  splits: z.array(CommissionSplit).default([]),
  fees: z.array(Fee).default([]),
});
export type Commission = z.infer<typeof Commission>;

/** One agent's share of a closed deal's commission, paid out as a bill. */
export const AgentPayout = z.object({ agentName: z.string().min(1), amountCents: Cents });
export type AgentPayout = z.infer<typeof AgentPayout>;

export const DealDates = z.object({
  contract: IsoDate.optional(),
  estimatedClosing: IsoDate.optional(),
  actualClosing: IsoDate.optional(),
  listing: IsoDate.optional(),
  expiration: IsoDate.optional(),
});

/**
 * The value of one of the brokerage's own fields (declared in its configuration): text, a number,
 * integer cents, a `YYYY-MM-DD` date, an E.164 phone, an email, an enum value, a boolean. Which
 * of these each field holds is checked against its declaration (src/mapping/custom-fields.ts).
 */
export const CustomValue = z.union([z.string().max(4000), z.number(), z.boolean()]);
export type CustomValue = z.infer<typeof CustomValue>;

export const Deal = z.object({
  id: z.string().min(1).optional(),
  name: z.string().min(1).max(500).optional(),
  /** Absent when the source's status could not be mapped (listed in the mapping issues). */
  stage: DealStage.optional(),
  purchasePrice: Cents.optional(),
  dates: DealDates.default({}),
  participants: z.array(Participant).default([]),
  property: Property.optional(),
  agent: AgentRef.optional(),
  commission: Commission.optional(),
  /** The source's own reference numbers (escrow number, TMS transaction number). */
  reference: z.string().min(1).max(200).optional(),
  /** The brokerage's own fields by their declared names (`earnestMoney`: 500000). */
  custom: z.record(z.string().regex(/^[a-z][A-Za-z0-9]{0,62}$/), CustomValue).optional(),
});
export type Deal = z.infer<typeof Deal>;
