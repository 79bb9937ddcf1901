import type { GoldenFields } from "../canonical/golden";
import type { DedupePerson } from "./records";

type Address = { number?: string; street?: string; suffix?: string; city?: string; state?: string; zip?: string };

/** A golden person as the dedupe reads it: the names of its row, the contacts and address of its fields. */
export function goldenPerson(row: { id: string; first_name: string | null; last_name: string | null }, f: GoldenFields): DedupePerson {
  const a = f.address?.value as Address | undefined;
  return {
    id: row.id,
    ...(row.first_name ? { firstName: row.first_name } : {}),
    ...(row.last_name ? { lastName: row.last_name } : {}),
    emails: (f.emails?.value as string[] | undefined) ?? [],
    phones: (f.phones?.value as string[] | undefined) ?? [],
    ...(a
      ? {
          address: {
            street: [a.number, a.street, a.suffix].filter(Boolean).join(" "),
            ...(a.city ? { city: a.city } : {}),
            ...(a.state ? { state: a.state } : {}),
            ...(a.zip ? { zip: a.zip } : {}),
          },
        }
      : {}),
  };
}
