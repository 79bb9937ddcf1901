/**
 * The configuration language of webhook signature schemes. Every scheme the hub knows is a
 * preset of the declarative `hmac` kind (see presets.ts), so a brokerage can accept a new
 * provider by writing JSON such as `WEBHOOK_SCHEMES={"idx":{"kind":"hmac",...}}`, without code.
 * Parse configuration once per isolate with `parseSchemeConfig`; `verifyWebhook` trusts its input.
 */
import * as v from "valibot";

/** Placeholders a signed-content template may use; anything else in braces is rejected. */
export const TEMPLATE_PLACEHOLDERS = ["body", "body_base64", "timestamp", "id"] as const;

const UNKNOWN_PLACEHOLDER = /\{(?!(?:body|body_base64|timestamp|id)\})/;
// RFC 9110 token characters; `{n}` is allowed as the numbered-header placeholder.
const HEADER_NAME = /^(?:[!#$%&'*+\-.^_`|~0-9A-Za-z]|\{n\})+$/;

const HeaderNameSchema = v.pipe(v.string(), v.regex(HEADER_NAME, "not a valid header name"));
/** One header name, or several accepted alike (e.g. `webhook-id` and `svix-id`). */
const HeaderNamesSchema = v.union([
  HeaderNameSchema,
  v.pipe(v.array(HeaderNameSchema), v.minLength(1), v.readonly()),
]);

/** Parsing of list-valued signature headers such as Stripe's `t=1,v1=ab,v0=cd`. */
export const SignatureListSchema = v.strictObject({
  /** Between entries: "," for Stripe, " " for Standard Webhooks. */
  separator: v.pipe(v.string(), v.minLength(1)),
  /** Between an entry's key and value: "=" for Stripe, "," for Standard Webhooks. */
  assign: v.pipe(v.string(), v.minLength(1)),
  /** Only entries with this key are signatures (e.g. "v1"); others (v0, v1a) are ignored. */
  signatureKey: v.pipe(v.string(), v.minLength(1)),
  /** Key of the entry that carries the timestamp, when the list carries one (Stripe's "t"). */
  timestampKey: v.optional(v.pipe(v.string(), v.minLength(1))),
});

/** The declarative HMAC scheme: every preset is one of these. */
export const HmacSchemeSchema = v.pipe(
  v.strictObject({
    kind: v.literal("hmac"),
    /** Signature header(s). `{n}` in a name matches 1, 2, 3... (DocuSign's `-Signature-{n}`). */
    header: HeaderNamesSchema,
    algorithm: v.picklist(["SHA-1", "SHA-256", "SHA-512"]),
    encoding: v.picklist(["hex", "base64"]),
    /** Text before the signature in the header or list value, e.g. "sha256=". */
    prefix: v.optional(v.string()),
    /** Template of the signed bytes; default "{body}". See TEMPLATE_PLACEHOLDERS. */
    signedContent: v.optional(
      v.pipe(
        v.string(),
        v.check((s) => !UNKNOWN_PLACEHOLDER.test(s), "unknown placeholder"),
        // An unsigned body could be swapped under a valid signature, and the body is what keys
        // idempotency when no signed id exists.
        v.check((s) => s.includes("{body}") || s.includes("{body_base64}"), "must sign {body} or {body_base64}"),
      ),
    ),
    /**
     * Header carrying the timestamp. Read, required and held to the replay window only when
     * `signedContent` signs `{timestamp}`; otherwise it only tells the signer what the vendor sends.
     */
    timestampHeader: v.optional(HeaderNamesSchema),
    /** "auto" reads values above 1e11 as milliseconds (Dotloop sends either). Default "s". */
    timestampUnit: v.optional(v.picklist(["s", "ms", "auto"])),
    /**
     * Header carrying the delivery id. Read (and required) only when the template signs `{id}`:
     * only a signed id keys idempotency; otherwise it only tells the signer what the vendor sends.
     */
    idHeader: v.optional(HeaderNamesSchema),
    /** "utf8" (default): the secret's bytes. "whsec": strip `whsec_`, base64-decode. */
    secretEncoding: v.optional(v.picklist(["utf8", "whsec"])),
    /** Set when the header is a list of entries rather than one signature. */
    list: v.optional(SignatureListSchema),
  }),
  v.check(
    (s) => !(s.signedContent ?? "").includes("{timestamp}") || hasTimestampSource(s),
    "signedContent uses {timestamp} but no timestampHeader or list.timestampKey is set",
  ),
  v.check(
    (s) => !(s.signedContent ?? "").includes("{id}") || s.idHeader !== undefined,
    "signedContent uses {id} but no idHeader is set",
  ),
);

function hasTimestampSource(s: { timestampHeader?: unknown; list?: { timestampKey?: string } }): boolean {
  return s.timestampHeader !== undefined || s.list?.timestampKey !== undefined;
}

/** Named presets usable as a bare string (`"github"`) or as `{ "kind": "github" }`. */
export const SchemeNameSchema = v.picklist([
  "standard-webhooks",
  "svix",
  "github",
  "stripe",
  "quickbooks",
  "docusign",
  "followupboss",
  "dotloop",
]);

const VendorSchemeSchema = v.variant("kind", [
  v.strictObject({
    kind: v.picklist(["standard-webhooks", "svix", "github", "stripe", "quickbooks", "docusign"]),
  }),
  v.strictObject({
    kind: v.literal("followupboss"),
    /** What is signed: base64 of the raw body (default, 3 sources) or the raw body (1 source). */
    message: v.optional(v.picklist(["base64-body", "raw-body"])),
  }),
  v.strictObject({
    kind: v.literal("dotloop"),
    /** What is signed: the raw body (default, majority reading) or `"<timestamp>.<body>"`. */
    signed: v.optional(v.picklist(["body", "timestamp.body"])),
  }),
]);

/** A source's signature scheme: a preset name, a preset with options, or a declarative HMAC. */
export const SchemeConfigSchema = v.union([SchemeNameSchema, VendorSchemeSchema, HmacSchemeSchema]);

/** Per-source schemes as stored in `WEBHOOK_SCHEMES` (source name → scheme). */
export const SchemeOverridesSchema = sourceMap(SchemeConfigSchema);

function sourceMap<T extends v.GenericSchema>(value: T) {
  return v.pipe(
    v.unknown(),
    // valibot's record accepts an array (as {}); a JSON array here is a configuration mistake.
    v.check((x) => !Array.isArray(x), "expected an object of source name → scheme"),
    v.record(v.pipe(v.string(), v.minLength(1)), value),
  );
}

// The shape of the map before each entry is parsed on its own (for precise error paths).
const SourceMapSchema = sourceMap(v.unknown());

export type SchemeName = v.InferOutput<typeof SchemeNameSchema>;
export type HmacScheme = v.InferOutput<typeof HmacSchemeSchema>;
export type SchemeConfig = v.InferOutput<typeof SchemeConfigSchema>;
export type SchemeOverrides = v.InferOutput<typeof SchemeOverridesSchema>;

/** Outcome of parsing configuration: the scheme, or the reasons it was refused. */
export type ConfigResult<T> =
  | { ok: true; value: T }
  | { ok: false; code: "config_invalid"; errors: ReadonlyArray<{ path: string; message: string }> };

/** Validates one scheme read from JSON configuration (issues name the exact field). */
export function parseSchemeConfig(input: unknown): ConfigResult<SchemeConfig> {
  return toResult(v.safeParse(schemaFor(input), input), "");
}

/** Validates the per-source map read from `WEBHOOK_SCHEMES`. */
export function parseSchemeOverrides(input: unknown): ConfigResult<SchemeOverrides> {
  const outer = v.safeParse(SourceMapSchema, input);
  if (!outer.success) return toResult(outer, "");
  const value: Record<string, SchemeConfig> = {};
  const errors: Array<{ path: string; message: string }> = [];
  for (const [source, raw] of Object.entries(outer.output)) {
    const r = toResult(v.safeParse(schemaFor(raw), raw), source);
    if (r.ok) value[source] = r.value;
    else errors.push(...r.errors);
  }
  return errors.length === 0 ? { ok: true, value } : { ok: false, code: "config_invalid", errors };
}

// A union's issue only says "no option matched"; picking the option by shape first makes the
// message point at the offending field.
function schemaFor(input: unknown): v.GenericSchema<unknown, SchemeConfig> {
  if (typeof input === "string") return SchemeNameSchema;
  if (typeof input === "object" && input !== null && "kind" in input && input.kind === "hmac") {
    return HmacSchemeSchema;
  }
  return typeof input === "object" && input !== null ? VendorSchemeSchema : SchemeConfigSchema;
}

function toResult<T>(
  r: { success: true; output: T } | { success: false; issues: readonly v.BaseIssue<unknown>[] },
  prefix: string,
): ConfigResult<T> {
  if (r.success) return { ok: true, value: r.output };
  const errors = r.issues.map((i) => {
    const path = [prefix, v.getDotPath(i) ?? ""].filter((p) => p !== "").join(".");
    return { path, message: i.message };
  });
  return { ok: false, code: "config_invalid", errors };
}
