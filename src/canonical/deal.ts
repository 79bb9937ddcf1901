/**
 * A deal: one client's path from lead to close. CRMs call it a deal, TMSs a transaction (loop,
 * file); both use this one shape so either side can be reconciled against the other.
 */
import * as z from "../lib/zod";
import { AgentRef, Person, PersonRef, PersonRole } from "./person";
import { Cents, DealStage, IsoDate } from "./primitives";
import { Property } from "./property";

/** A party to the deal: an inline person, a reference to one held elsewhere, or both. */
export const Participant = z
  .object({
    role: PersonRole,
    person: z.optional(Person),
    personRef: z.optional(PersonRef),
  })
  .check(
    z.refine((p) => p.person !== undefined || p.personRef !== undefined, {
      message: "a participant needs a person or a personRef",
      path: ["person"],
    }),
  );
export type Participant = z.infer<typeof Participant>;

export const CommissionSplit = z.object({
  agent: AgentRef,
  percent: z.optional(z.number().check(z.gte(0), z.lte(100))),
  amountCents: z.optional(Cents),
});

export const Fee = z.object({ name: z.string().check(z.minLength(1), z.maxLength(200)), amountCents: Cents });

export const Commission = z.object({
  grossCents: z.optional(Cents),
  /** Gross commission as a percent of the price, when that is what the source states. */
  ratePercent: z.optional(z.number().check(z.gte(0), z.lte(100))),
  splits: z._default(z.array(CommissionSplit), []),
  fees: z._default(z.array(Fee), []),
});
export type Commission = z.infer<typeof Commission>;

/** One agent's share of a closed deal's commission, paid out as a bill. */
export const AgentPayout = z.object({ agentName: z.string().check(z.minLength(1)), amountCents: Cents });
export type AgentPayout = z.infer<typeof AgentPayout>;

export const DealDates = z.object({
  contract: z.optional(IsoDate),
  estimatedClosing: z.optional(IsoDate),
  actualClosing: z.optional(IsoDate),
  listing: z.optional(IsoDate),
  expiration: z.optional(IsoDate),
});

/**
 * The value of one of the brokerage's own fields (declared in its configuration): text, a number,
 * integer cents, a `YYYY-MM-DD` date, an E.164 phone, an email, an enum value, a boolean. Which
 * of these each field holds is checked against its declaration (src/mapping/custom-fields.ts).
 */
/** The longest text a custom field holds (a vendor's longest note-like field is far shorter). */
export const MAX_CUSTOM_TEXT = 4000;
export const CustomValue = z.union([z.string().check(z.maxLength(MAX_CUSTOM_TEXT)), z.number(), z.boolean()]);
export type CustomValue = z.infer<typeof CustomValue>;

export const Deal = z.object({
  id: z.optional(z.string().check(z.minLength(1))),
  name: z.optional(z.string().check(z.minLength(1), z.maxLength(500))),
  /** Absent when the source's status could not be mapped (listed in the mapping issues). */
  stage: z.optional(DealStage),
  purchasePrice: z.optional(Cents),
  dates: z._default(DealDates, {}),
  participants: z._default(z.array(Participant), []),
  property: z.optional(Property),
  agent: z.optional(AgentRef),
  commission: z.optional(Commission),
  /** The source's own reference numbers (escrow number, TMS transaction number). */
  reference: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  /** The brokerage's own fields by their declared names (`earnestMoney`: 500000). */
  custom: z.optional(z.record(z.string().check(z.regex(/^[a-z][A-Za-z0-9]{0,62}$/)), CustomValue)),
});
export type Deal = z.infer<typeof Deal>;
