import { z } from "zod";

const DIRECTIONAL = z.enum(["N", "S", "E", "W", "NE", "NW", "SE", "SW"]);

/**
 * A US postal address in USPS Publication 28 form, one field per component.
 *
 * Case: street names, cities, suffixes and unit designators are Title case ("Main", "Ave",
 * "Apt"); directionals and states are upper case ("NW", "IL"); words that arrive in mixed case
 * ("McCormick", "LaSalle") are kept as given. Suffixes use the C1 standard abbreviation,
 * unit designators the C2 one ("#" when none was given), ZIP+4 is split into zip and zip4.
 * A PO box is `{ unitType: "PO Box", unitId: "<box>" }` with no street.
 */
export const PostalAddress = z.object({
  number: z.string().min(1).optional().describe("Primary number: 123, 6257A, 3813 1/2, N95W18855"),
  predirectional: DIRECTIONAL.optional(),
  street: z.string().min(1).optional().describe("Street name without number, directionals or suffix"),
  suffix: z.string().min(1).optional().describe("C1 standard suffix, Title case: St, Ave, Hwy"),
  postdirectional: DIRECTIONAL.optional(),
  unitType: z.string().min(1).optional().describe("C2 designator, Title case (Apt, Ste), '#' or 'PO Box'"),
  unitId: z.string().min(1).optional(),
  city: z.string().min(1).optional(),
  state: z.string().regex(/^[A-Z]{2}$/).optional().describe("Two-letter USPS code"),
  zip: z.string().regex(/^\d{5}$/).optional(),
  zip4: z.string().regex(/^\d{4}$/).optional(),
});

export type PostalAddress = z.infer<typeof PostalAddress>;
