/**
 * `npm run phone:metadata`: writes src/normalize/phone-metadata.json and phone-calling-codes.json from the installed
 * libphonenumber-js's metadata.min.json (see scripts/lib/phone-metadata.ts). Run it after
 * upgrading libphonenumber-js or changing the calling codes, and commit the file;
 * test/normalize/phone-metadata.test.ts fails while the two disagree.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import source from "libphonenumber-js/metadata.min.json";
import { assignedCallingCodes, trimPhoneMetadata } from "./lib/phone-metadata";

const dir = path.join(import.meta.dirname, "..", "src", "normalize");
const file = path.join(dir, "phone-metadata.json");
const trimmed = trimPhoneMetadata(source);
writeFileSync(file, `${JSON.stringify(trimmed)}\n`);
const codes = assignedCallingCodes(source);
writeFileSync(path.join(dir, "phone-calling-codes.json"), `${JSON.stringify(codes)}\n`);
console.log(`wrote phone-calling-codes.json: ${codes.length} assigned calling codes`);
console.log(
  `wrote ${path.relative(process.cwd(), file)}: ${Object.keys(trimmed.countries).length} regions, calling codes +${Object.keys(trimmed.country_calling_codes).join(", +")}`,
);
