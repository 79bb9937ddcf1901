import * as z from "../../lib/zod";
import { ListingsQuery } from "../../ops/listings";
import { AlertsQuery, BulkReplay, Cursor, Instant, InstantEnd, Limit, SearchQuery } from "../../ops/schemas";

/**
 * What the ops API's inputs mean, in words, attached to the very schemas the routes validate with
 * when the OpenAPI document is generated: the Worker validates with them and never carries the words.
 */
const INPUT_DOCS: ReadonlyArray<readonly [z.ZodMiniType, string]> = [
  [Instant, "Start (inclusive): epoch milliseconds or an ISO 8601 date / date-time."],
  [InstantEnd, "End (inclusive): epoch milliseconds or an ISO 8601 date / date-time; a bare date covers that whole day (UTC)."],
  [Cursor, "The cursor of the previous page's answer; absent for the first page."],
  [SearchQuery.shape.q, "An email, phone, name, canonical id or any system's id."],
  [SearchQuery.shape.limit, "At most this many people and deals (default 25)."],
  [BulkReplay.shape.all, "Every open letter, whatever its queue, vendor, code or age."],
  [BulkReplay.shape.limit, "At most this many letters in this call; `remaining` says how many more match."],
  [BulkReplay.shape.perSecond, "At most this many replayed messages become visible to the queue per second."],
  [AlertsQuery.shape.logCursor, "The `logCursor` of the previous answer, to read the log's next page."],
  [Limit.def.innerType, "A whole number from 1 to 500."],
  [ListingsQuery.shape.limit.def.innerType, "A whole number from 1 to 200."],
  [ListingsQuery.shape.offset.def.innerType, "A whole number from 0 to 999999."],
];

export function describeInputs(): void {
  z.describeSchemas(INPUT_DOCS);
}
