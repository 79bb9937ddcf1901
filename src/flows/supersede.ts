/**
 * Ordering of versioned event ids: the hub's own events carry the version of the record they
 * describe in their id (a deal's status change, a person's contact change), so a late or replayed
 * one can be told apart from the latest one already applied.
 */

/**
 * Of `ids`, the one whose version is the highest above `eventId`'s, or null. `versionOf` reads an
 * id's version, or null when the id is not one of the same record's versioned events.
 */
export function latestLater(eventId: string, ids: readonly string[], versionOf: (id: string) => number | null): string | null {
  const own = versionOf(eventId);
  if (own === null) return null;
  let latest: { id: string; v: number } | null = null;
  for (const id of ids) {
    const v = versionOf(id);
    if (v !== null && v > own && (!latest || v > latest.v)) latest = { id, v };
  }
  return latest?.id ?? null;
}
