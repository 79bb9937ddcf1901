/**
 * The configuration language of webhook signature schemes. Every scheme the hub knows is a
 * preset of the declarative `hmac` kind (see presets.ts), so a brokerage can accept a new
 * provider by writing JSON such as `WEBHOOK_SCHEMES={"idx":{"kind":"hmac",...}}`, without code.
 * Parse configuration once per isolate with `parseSchemeConfig`; `verifyWebhook` trusts its input.
 */
import * as z from "../lib/zod";
import { dotPath } from "../lib/issue-path";

/** Placeholders a signed-content template may use; anything else in braces is rejected. */
export const TEMPLATE_PLACEHOLDERS = ["body", "body_base64", "timestamp", "id"] as const;

const UNKNOWN_PLACEHOLDER = /\{(?!(?:body|body_base64|timestamp|id)\})/;
// RFC 9110 token characters; `{n}` is allowed as the numbered-header placeholder.
const HEADER_NAME = /^(?:[!#$%&'*+\-.^_`|~0-9A-Za-z]|\{n\})+$/;

const HeaderNameSchema = z.string().check(z.regex(HEADER_NAME, "not a valid header name"));
/** One header name, or several accepted alike (e.g. `webhook-id` and `svix-id`). */
const HeaderNamesSchema = z.union([HeaderNameSchema, z.readonly(z.array(HeaderNameSchema).check(z.minLength(1)))]);

/** Parsing of list-valued signature headers such as Stripe's `t=1,v1=ab,v0=cd`. */
export const SignatureListSchema = z.strictObject({
  /** Between entries: "," for Stripe, " " for Standard Webhooks. */
  separator: z.string().check(z.minLength(1)),
  /** Between an entry's key and value: "=" for Stripe, "," for Standard Webhooks. */
  assign: z.string().check(z.minLength(1)),
  /** Only entries with this key are signatures (e.g. "v1"); others (v0, v1a) are ignored. */
  signatureKey: z.string().check(z.minLength(1)),
  /** Key of the entry that carries the timestamp, when the list carries one (Stripe's "t"). */
  timestampKey: z.optional(z.string().check(z.minLength(1))),
});

/** The declarative HMAC scheme: every preset is one of these. */
export const HmacSchemeSchema = z
  .strictObject({
    kind: z.literal("hmac"),
    /** Signature header(s). `{n}` in a name matches 1, 2, 3... (DocuSign's `-Signature-{n}`). */
    header: HeaderNamesSchema,
    algorithm: z.enum(["SHA-1", "SHA-256", "SHA-512"]),
    encoding: z.enum(["hex", "base64"]),
    /** Text before the signature in the header or list value, e.g. "sha256=". */
    prefix: z.optional(z.string()),
    /** Template of the signed bytes; default "{body}". See TEMPLATE_PLACEHOLDERS. */
    signedContent: z.optional(
      z.string().check(
        z.refine((s) => !UNKNOWN_PLACEHOLDER.test(s), "unknown placeholder"),
        z.refine((s) => s.includes("{body}") || s.includes("{body_base64}"), "must sign {body} or {body_base64}"),
      ),
    ),
    /**
     * Header carrying the timestamp. Read, required and held to the replay window only when
     * `signedContent` signs `{timestamp}`; otherwise it only tells the signer what the vendor sends.
     */
    timestampHeader: z.optional(HeaderNamesSchema),
    /** "auto" reads values above 1e11 as milliseconds (Dotloop sends either). Default "s". */
    timestampUnit: z.optional(z.enum(["s", "ms", "auto"])),
    /**
     * Header carrying the delivery id. Read (and required) only when the template signs `{id}`:
     * only a signed id keys idempotency; otherwise it only tells the signer what the vendor sends.
     */
    idHeader: z.optional(HeaderNamesSchema),
    /** "utf8" (default): the secret's bytes. "whsec": strip `whsec_`, base64-decode. */
    secretEncoding: z.optional(z.enum(["utf8", "whsec"])),
    /** Set when the header is a list of entries rather than one signature. */
    list: z.optional(SignatureListSchema),
  })
  .check(
    z.refine(
      (s) => !(s.signedContent ?? "").includes("{timestamp}") || hasTimestampSource(s),
      "signedContent uses {timestamp} but no timestampHeader or list.timestampKey is set",
    ),
    z.refine(
      (s) => !(s.signedContent ?? "").includes("{id}") || s.idHeader !== undefined,
      "signedContent uses {id} but no idHeader is set",
    ),
  );

function hasTimestampSource(s: { timestampHeader?: unknown; list?: { timestampKey?: string | undefined } | undefined }): boolean {
  return s.timestampHeader !== undefined || s.list?.timestampKey !== undefined;
}

/** Named presets usable as a bare string (`"github"`) or as `{ "kind": "github" }`. */
export const SchemeNameSchema = z.enum([
  "standard-webhooks",
  "svix",
  "github",
  "stripe",
  "quickbooks",
  "docusign",
  "followupboss",
  "dotloop",
]);

const VendorSchemeSchema = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.enum(["standard-webhooks", "svix", "github", "stripe", "quickbooks", "docusign"]),
  }),
  z.strictObject({
    kind: z.literal("followupboss"),
    /** What is signed: base64 of the raw body (default, 3 sources) or the raw body (1 source). */
    message: z.optional(z.enum(["base64-body", "raw-body"])),
  }),
  z.strictObject({
    kind: z.literal("dotloop"),
    /** What is signed: the raw body (default, majority reading) or `"<timestamp>.<body>"`. */
    signed: z.optional(z.enum(["body", "timestamp.body"])),
  }),
]);

/** A source's signature scheme: a preset name, a preset with options, or a declarative HMAC. */
export const SchemeConfigSchema = z.union([SchemeNameSchema, VendorSchemeSchema, HmacSchemeSchema]);

/** Per-source schemes as stored in `WEBHOOK_SCHEMES` (source name → scheme). */
export const SchemeOverridesSchema = sourceMap(SchemeConfigSchema);

function sourceMap<T extends z.ZodMiniType>(value: T) {
  return z.pipe(
    z.unknown().check(z.refine((x) => !Array.isArray(x), "expected an object of source name → scheme")),
    z.record(z.string().check(z.minLength(1)), value),
  );
}

// The shape of the map before each entry is parsed on its own (for precise error paths).
const SourceMapSchema = sourceMap(z.unknown());

export type SchemeName = z.output<typeof SchemeNameSchema>;
export type HmacScheme = z.output<typeof HmacSchemeSchema>;
export type SchemeConfig = z.output<typeof SchemeConfigSchema>;
export type SchemeOverrides = z.output<typeof SchemeOverridesSchema>;

/** Outcome of parsing configuration: the scheme, or the reasons it was refused. */
export type ConfigResult<T> =
  | { ok: true; value: T }
  | { ok: false; code: "config_invalid"; errors: ReadonlyArray<{ path: string; message: string }> };

/** Validates one scheme read from JSON configuration (issues name the exact field). */
export function parseSchemeConfig(input: unknown): ConfigResult<SchemeConfig> {
  return toResult(schemaFor(input).safeParse(input), "");
}

/** Validates the per-source map read from `WEBHOOK_SCHEMES`. */
export function parseSchemeOverrides(input: unknown): ConfigResult<SchemeOverrides> {
  const outer = SourceMapSchema.safeParse(input);
  if (!outer.success) return refused(outer.error, "");
  const value: Record<string, SchemeConfig> = {};
  const errors: Array<{ path: string; message: string }> = [];
  for (const [source, raw] of Object.entries(outer.data)) {
    const r = toResult(schemaFor(raw).safeParse(raw), source);
    if (r.ok) value[source] = r.value;
    else errors.push(...r.errors);
  }
  return errors.length === 0 ? { ok: true, value } : { ok: false, code: "config_invalid", errors };
}

// A union's issue only says "no option matched"; picking the option by shape first makes the
// message point at the offending field.
function schemaFor(input: unknown): z.ZodMiniType<SchemeConfig> {
  if (typeof input === "string") return SchemeNameSchema;
  if (typeof input === "object" && input !== null && "kind" in input && input.kind === "hmac") {
    return HmacSchemeSchema;
  }
  return typeof input === "object" && input !== null ? VendorSchemeSchema : SchemeConfigSchema;
}

function toResult<T>(r: z.util.SafeParseResult<T>, prefix: string): ConfigResult<T> {
  return r.success ? { ok: true, value: r.data } : refused(r.error, prefix);
}

function refused(error: z.core.$ZodError, prefix: string): ConfigResult<never> {
  const errors = error.issues.flatMap((i) => {
    const at = (...more: PropertyKey[]) => [prefix, dotPath([...i.path, ...more])].filter((p) => p !== "").join(".");
    // zod reports every unknown field in one issue on the object; name each field instead.
    if (i.code === "unrecognized_keys") return i.keys.map((k) => ({ path: at(k), message: "unknown field" }));
    return [{ path: at(), message: i.message }];
  });
  return { ok: false, code: "config_invalid", errors };
}
