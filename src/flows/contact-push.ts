/**
 * What a contact change (`person.upserted`) writes to a vendor, as pure functions. The event
 * carries the golden person as it was when the change was made; queues redeliver late and an
 * operator may replay a dead letter days later, so the event's own values may be older than
 * what the golden record (and the vendor) hold by then. A push therefore writes the golden person
 * as it is now, never the event's copy, and an event another, later push to the same vendor has
 * already covered writes nothing.
 */
import type { Person } from "../canonical";

/** The contact fields the hub keeps in step between systems, as plain values. */
export interface ContactValues {
  firstName: string | null;
  lastName: string | null;
  emails: string[];
  phones: string[];
}

export function contactValues(p: Person): ContactValues {
  return {
    firstName: p.firstName ?? null,
    lastName: p.lastName ?? null,
    emails: p.emails.map((e) => e.value),
    phones: p.phones.map((x) => x.value),
  };
}

/** The contact fields in which `older` differs from `now`, in a fixed order. */
export function contactDiff(older: Person, now: Person): string[] {
  const a = contactValues(older);
  const b = contactValues(now);
  return (Object.keys(a) as Array<keyof ContactValues>).filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}

export type ContactPush =
  /** Write `person` (the golden person now); `stale` names the fields the event had older. */
  | { kind: "push"; person: Person; stale: string[] }
  /** Write nothing. */
  | { kind: "skip"; reason: "person_unknown" | "superseded"; detail: string };

/**
 * Decides what one contact event writes to one vendor.
 * - `golden`: the golden person now, null when it is gone or merged into another (whose own
 *   changes carry its contact).
 * - `laterSent`: a later contact event of the person already written to this vendor. A push
 *   writes the whole golden person of its time, so that one carried everything this event had
 *   that was still current: this event has nothing left to write, and writing the golden person
 *   again could only undo an edit made in the vendor that the hub has not heard of yet.
 *
 * Otherwise the event writes the golden person now, even when its own values are outdated (a
 * dead letter replayed after a change the vendor made itself, or after a lead): its still-current
 * fields then reach the vendor, its outdated ones do not.
 */
export function decideContactPush(input: { carried: Person; golden: Person | null; laterSent: { version: number } | null }): ContactPush {
  const { carried, golden, laterSent } = input;
  if (!golden) return { kind: "skip", reason: "person_unknown", detail: "the golden person is gone or was merged into another" };
  const stale = contactDiff(carried, golden);
  if (laterSent) {
    const what = stale.length > 0 ? `${stale.join(",")} changed since` : "nothing changed since";
    return { kind: "skip", reason: "superseded", detail: `${what}; a later change was already written (version ${laterSent.version})` };
  }
  return { kind: "push", person: golden, stale };
}
