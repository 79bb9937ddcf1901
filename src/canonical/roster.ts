/**
 * An MLS's roster as the hub keeps it: the members (a listing's agents) and offices, each with
 * the RESO record as the MLS sent it. `src/mls/` maps RESO records to them; `src/store/` writes them.
 */
import * as z from "../lib/zod";
import { ResoRecord } from "./listing";
import { IsoDateTime } from "./primitives";

export const MemberRow = z.object({
  key: z.string().check(z.minLength(1)),
  mlsId: z.nullable(z.string()),
  fullName: z.nullable(z.string()),
  email: z.nullable(z.string()),
  phone: z.nullable(z.string()),
  status: z.nullable(z.string()),
  officeKey: z.nullable(z.string()),
  modifiedAt: IsoDateTime,
  modifiedMs: z.number(),
  data: ResoRecord,
});
export type MemberRow = z.infer<typeof MemberRow>;

export const OfficeRow = z.object({
  key: z.string().check(z.minLength(1)),
  mlsId: z.nullable(z.string()),
  name: z.nullable(z.string()),
  phone: z.nullable(z.string()),
  email: z.nullable(z.string()),
  status: z.nullable(z.string()),
  modifiedAt: IsoDateTime,
  modifiedMs: z.number(),
  data: ResoRecord,
});
export type OfficeRow = z.infer<typeof OfficeRow>;
