/**
 * The vocabulary of field maps: a map is data (which source path goes to which canonical path,
 * through which named normalizer), so adding a vendor field is a one-line change reviewed as data.
 */
import * as z from "../lib/zod";
import type { CanonicalEvent, EventType, SubjectKind, SystemName } from "../canonical";

/** The JSON type a source field is expected to have; `scalar` accepts string or number. */
export type JsonType = "string" | "number" | "boolean" | "object" | "array" | "scalar";

/** The normalizers a rule can name; see `normalizers.ts` for what each one returns. */
export type NormalizerName =
  | "string"
  | "lower"
  | "id"
  | "ids"
  | "int"
  | "number"
  | "percent"
  | "bool"
  | "tags"
  | "url"
  | "email"
  | "emailEntry"
  | "phone"
  | "name"
  | "fullName"
  | `addressPart:${AddressPart}`
  | "money"
  | "date"
  | "instant"
  | "epochMs"
  | "nameValuePairs"
  | `status:${string}`
  | `lookup:${string}`
  | `vendorEvent:${string}`;

export type AddressPart = "number" | "predirectional" | "street" | "unit" | "line2" | "city" | "state" | "zip";

/** Maps one source field (or its aliases) to one canonical path. */
export interface FieldRule {
  /** Source path: `.`-separated keys, `[]` iterates an array, `[0]` picks an element. */
  from: string;
  /**
   * Target path in the event `data` (`person.firstName`); `[]` at the end appends; `""` merges
   * an object result into the data root; `$.occurredAt`, `$.externalId`, `$.account`,
   * `$.subjectId` set the envelope instead.
   */
  to: string;
  /** Normalizer applied to the value; `string` when absent. */
  norm?: NormalizerName;
  /** Expected JSON type; defaults from the normalizer. A different type is recorded as drift. */
  type?: JsonType;
  /** Other source paths accepted for this field; using one is mapped AND recorded as drift. */
  aliases?: string[];
  /** A missing required field fails the delivery (inside `items`: drops that element). */
  required?: boolean;
  /** For `emailEntry`/`phone`: the contact type to stamp on the entry. */
  entryType?: "home" | "work" | "mobile" | "fax" | "other";
  /** The source value is an array of objects (or with `single`, one object) mapped by these rules. */
  items?: readonly Rule[];
  /** With `items`: the source value is one object, not an array. */
  single?: boolean;
  /** Wrap the normalized value as `{ ...with, [key]: value }` (e.g. a fee with a fixed name). */
  into?: { key: string; with?: Readonly<Record<string, string | number | boolean>> };
}

/** Sets a fixed value at a target path (e.g. the role of every element of `buyers[]`). */
export interface ConstRule {
  to: string;
  value: string | number | boolean;
}

export type Rule = FieldRule | ConstRule;

/** A field map: how one body shape becomes one canonical event. */
export interface FieldMap {
  /** A name for traces and drift (`zillow.lead`, `quickbooks.cloudevents`). */
  name: string;
  system: SystemName;
  event: EventType;
  /** The subject kind, or `resource` to derive it from `data.resource`. */
  subject: SubjectKind | "resource";
  rules: readonly Rule[];
  /** Source paths known but deliberately not mapped; `prefix*` matches a key prefix. */
  ignore?: readonly string[];
  /** Objects whose keys are free-form (custom fields, vendor summaries): no unknown-field drift. */
  open?: readonly string[];
  /** Lookup tables for `lookup:<table>`; key `*` is the fallback. */
  tables?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Emit a different event type when the mapped data says so (e.g. QuickBooks invoices). */
  eventWhen?: ReadonlyArray<{ path: string; equals: string; event: EventType }>;
  /** Split a body into one event per element of this path (`[]` iterates), e.g. CloudEvents arrays. */
  each?: string;
}

/** How a source's body shapes are told apart; the first variant whose `when` holds is used. */
export interface Variant {
  map: FieldMap;
  when?: { path: string; is?: JsonType; equals?: readonly string[]; prefix?: string };
  /** A delivery that needs no event (a vendor's test ping): acknowledged, nothing emitted. */
  skip?: boolean;
}

export const DriftKind = z.enum(["unknown_field", "renamed", "alias_used", "missing_required", "type_changed"]);
export type DriftKind = z.infer<typeof DriftKind>;

/** One observation that a source's payload no longer matches its map. PII in `sample` is masked. */
export const DriftRecord = z.object({
  source: z.string().check(z.minLength(1)),
  /** The map that saw it (`zillow.lead`). */
  map: z.string().check(z.minLength(1)),
  /** Path of the field as the map knows it (`data.listing.price`, `participants[].email`). */
  field: z.string(),
  kind: DriftKind,
  /** For `renamed`/`alias_used`: the path actually seen. For `type_changed`: the expected type. */
  variant: z.optional(z.string()),
  /** A short, PII-masked sample of the value (`a***@x.com`, `string: $4##,###`). */
  sample: z.string().check(z.maxLength(80)),
  seenAt: z.iso.datetime({ offset: true }),
});
export type DriftRecord = z.infer<typeof DriftRecord>;

/** A value that was present but invalid and so left out of the record (e.g. `phone_invalid`). */
export interface MapIssue {
  code: string;
  field: string;
  /** PII-masked sample of the dropped value. */
  sample: string;
  /** One line for ops: `phone_invalid (too_short): ###-##00 dropped`. */
  message: string;
}

export interface MapContext {
  /** The hub's delivery id; event ids are derived from it so a replay yields the same ids. */
  deliveryId: string;
  /** Epoch milliseconds when the delivery (or fetch) happened. */
  receivedAt: number;
  headers?: Record<string, string>;
}

export type MapErrorCode = "no_identity" | "missing_required" | "shape_unknown" | "type_unknown" | "canonical_invalid";

export type MapOutcome =
  | { ok: true; events: CanonicalEvent[]; drift: DriftRecord[]; issues: MapIssue[] }
  | { ok: false; code: MapErrorCode; reason: string; drift: DriftRecord[]; issues: MapIssue[] };
