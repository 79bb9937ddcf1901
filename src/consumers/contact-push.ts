import type { EventOf, Person } from "../canonical";
import { decideContactPush } from "../flows/contact-push";
import { ok, type Result } from "../lib/result";
import { laterApplied } from "../store/applied";
import { getPerson, parseFields } from "../store/people";
import { traceStatement } from "../store/traces";
import { once } from "../queues/once";
import { personFromGolden } from "../flows/golden";

/** Results of a contact action that wrote nothing, so never count as a later push. */
const NOT_WRITTEN = ["superseded", "person_unknown"] as const;

/**
 * Flow 5, either side: writes a contact change to one vendor as the golden person holds it now
 * (see flows/contact-push), once per (event, `action`): a copy of an event already written writes
 * nothing. `write` gets the person to write and returns its result. An event a later push to the
 * same vendor covered writes nothing either, and one whose own values are outdated writes the
 * golden person now; both are traced CONTACT_SUPERSEDED (skipped, ok).
 */
export async function pushContact(
  event: EventOf<"person.upserted">,
  env: Env,
  target: { system: string; action: "crm.contact" | "tms.contact" },
  write: (person: Person) => Promise<Result<string>>,
): Promise<Result<string>> {
  const personId = event.data.person.id;
  if (!personId) return ok("no_person_id");
  const db = env.DB;
  // A change without a version (queued before changes carried one) is never taken as superseded.
  const version =
    event.recordVersion === undefined ? undefined : { kind: "contact" as const, subject: personId, version: event.recordVersion };
  return once(
    db,
    event.id,
    target.action,
    async () => {
      const row = await getPerson(db, personId);
      const golden = row && !row.merged_into ? personFromGolden(personId, parseFields(row)) : null;
      const laterSent = version ? await laterApplied(db, target.action, version, NOT_WRITTEN) : null;
      const decision = decideContactPush({ carried: event.data.person, golden, laterSent });
      const trace = (outcome: "ok" | "skipped", detail: string) =>
        traceStatement(db, {
          subject: personId,
          deliveryId: event.source.deliveryId,
          stage: "CONTACT_SUPERSEDED",
          outcome,
          detail: `${target.system}: ${detail}`.slice(0, 500),
          at: Date.now(),
        });
      if (decision.kind === "skip") return ok({ result: decision.reason, writes: [trace("skipped", decision.detail)] });
      const written = await write(decision.person);
      if (!written.ok) return written;
      const writes =
        decision.stale.length > 0
          ? [trace("ok", `${decision.stale.join(",")} changed since the event; wrote the golden person as it is now`)]
          : [];
      return ok({ result: written.value, writes });
    },
    version ? { version } : {},
  );
}
