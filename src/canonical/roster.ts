/**
 * An MLS's roster as the hub keeps it: the members (a listing's agents) and offices, each with
 * the RESO record as the MLS sent it. `src/mls/` maps RESO records to them; `src/store/` writes them.
 */
import * as z from "zod";
import { ResoRecord } from "./listing";
import { IsoDateTime } from "./primitives";

export const MemberRow = z.object({
  key: z.string().min(1),
  mlsId: z.string().nullable(),
  fullName: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  status: z.string().nullable(),
  officeKey: z.string().nullable(),
  modifiedAt: IsoDateTime,
  modifiedMs: z.number(),
  data: ResoRecord,
});
export type MemberRow = z.infer<typeof MemberRow>;

export const OfficeRow = z.object({
  key: z.string().min(1),
  mlsId: z.string().nullable(),
  name: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  status: z.string().nullable(),
  modifiedAt: IsoDateTime,
  modifiedMs: z.number(),
  data: ResoRecord,
});
export type OfficeRow = z.infer<typeof OfficeRow>;
