/**
 * The postal address normalization produces is the canonical model's (one definition, in
 * src/canonical): USPS Publication 28 form, one field per component. Case: street names, cities,
 * suffixes and unit designators are Title case ("Main", "Ave", "Apt"); directionals and states
 * upper case ("NW", "IL"); mixed-case words ("McCormick", "LaSalle") kept as given. Suffixes use
 * the C1 standard abbreviation, unit designators the C2 one ("#" when none was given), ZIP+4 is
 * split into zip and zip4. A PO box is `{ unitType: "PO Box", unitId: "<box>" }` with no street.
 */
export { PostalAddress } from "../canonical/primitives";
