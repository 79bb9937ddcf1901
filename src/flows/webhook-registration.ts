/**
 * Which webhook registrations to create, repoint or remove so that a vendor delivers exactly the
 * hub's events to the hub's current URL. Pure: the vendor's current registrations in, actions out.
 * Registrations that are not the hub's (another integration's) are never touched.
 */
export type Registration = { id: string; events: string[]; url: string; active: boolean; ours: boolean; key?: string | undefined };

/**
 * `per-event`: one registration per event (Follow Up Boss). `single`: one subscription that lists
 * every event (Dotloop). `key`: where a vendor signs with the registration's own key, what names
 * the key it should hold (the key itself is never read back), so a rotated secret replaces the
 * registration.
 */
export type Desired = { url: string; events: string[]; shape: "per-event" | "single"; key?: string | undefined };

export type RegistrationAction =
  | { kind: "keep"; id: string; events: string[]; url: string }
  | { kind: "create"; events: string[]; url: string }
  | { kind: "update"; id: string; events: string[]; url: string; from: string }
  | { kind: "delete"; id: string; events: string[]; url: string };

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));

export function planRegistrations(desired: Desired, current: Registration[]): RegistrationAction[] {
  const ours = current.filter((r) => r.ours);
  const used = new Set<string>();
  const actions: RegistrationAction[] = [];
  const claim = (events: string[], all: Registration[]) => {
    // A registration given another signing key is replaced, not updated (whether an update takes
    // a new key is not published): the new one is created first, the old deleted with the extras.
    const candidates = all.filter((r) => r.key === desired.key);
    const exact = candidates.find((r) => r.url === desired.url && r.active && sameSet(r.events, events));
    if (exact) {
      used.add(exact.id);
      actions.push({ kind: "keep", id: exact.id, events, url: exact.url });
      return;
    }
    const reuse = candidates.find((r) => !used.has(r.id));
    if (reuse) {
      used.add(reuse.id);
      actions.push({ kind: "update", id: reuse.id, events, url: desired.url, from: reuse.url });
      return;
    }
    actions.push({ kind: "create", events, url: desired.url });
  };
  if (desired.shape === "single") claim(desired.events, ours);
  else
    for (const event of desired.events)
      claim(
        [event],
        ours.filter((r) => !used.has(r.id) && r.events.length === 1 && r.events[0] === event),
      );
  for (const r of ours) if (!used.has(r.id)) actions.push({ kind: "delete", id: r.id, events: r.events, url: r.url });
  return actions;
}
