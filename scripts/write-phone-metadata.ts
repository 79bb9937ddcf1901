/**
 * `npm run phone:metadata`: writes src/normalize/phone-metadata.json from the installed
 * libphonenumber-js's metadata.min.json (see scripts/lib/phone-metadata.ts). Run it after
 * upgrading libphonenumber-js or changing the calling codes, and commit the file;
 * test/normalize/phone-metadata.test.ts fails while the two disagree.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import source from "libphonenumber-js/metadata.min.json";
import { trimPhoneMetadata } from "./lib/phone-metadata";

const file = path.join(import.meta.dirname, "..", "src", "normalize", "phone-metadata.json");
const trimmed = trimPhoneMetadata(source);
writeFileSync(file, `${JSON.stringify(trimmed)}\n`);
console.log(`wrote ${path.relative(process.cwd(), file)}: ${Object.keys(trimmed.countries).length} regions, calling codes +${Object.keys(trimmed.country_calling_codes).join(", +")}`);
