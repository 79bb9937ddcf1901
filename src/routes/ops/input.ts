import type * as z from "../../lib/zod";
import { AppError } from "../../lib/errors";
import { readCapped } from "../hooks/read-body";

/** Reading and validating ops API input; every refusal is a problem document and changes nothing. */

/** JSON bodies of the ops API are small: filters, reasons. */
const MAX_BODY_BYTES = 16 * 1024;
const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

function issues(error: z.core.$ZodError): Array<{ path: string; message: string }> {
  return error.issues.map((i) => ({ path: i.path.join(".") || "(root)", message: i.message }));
}

/** Parses `data` with `schema` or throws 422 validation_failed naming each bad field. */
export function validate<S extends z.ZodMiniType>(schema: S, data: unknown, what: string): z.output<S> {
  const r = schema.safeParse(data);
  if (!r.success) throw new AppError("validation_failed", `The ${what} is invalid.`, issues(r.error));
  return r.data;
}

/** Path parameters: a malformed id is a bad request (400), not a missing record. */
export function params<S extends z.ZodMiniType>(schema: S, data: unknown): z.output<S> {
  const r = schema.safeParse(data);
  if (!r.success) throw new AppError("bad_request", "The path holds a malformed id.", issues(r.error));
  return r.data;
}

/**
 * The request's JSON body; an absent body is `{}` so optional-only bodies may be omitted. Only
 * without a content type or with JSON's: a form posted from another site (which Cloudflare Access
 * would let through on its cookie) always has one, so it cannot stand in for an empty body.
 */
export async function jsonBody(req: Request): Promise<unknown> {
  // Counted in bytes as they arrive, whatever Content-Length said (or did not).
  const bytes = await readCapped(req, MAX_BODY_BYTES);
  if (bytes === "too_large") throw new AppError("payload_too_large", `Bodies are limited to ${MAX_BODY_BYTES} bytes.`);
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    throw new AppError("malformed_json", "The body is not valid UTF-8.");
  }
  const type = req.headers.get("content-type");
  const empty = text.trim() === "";
  if (!/^application\/([a-z.+-]*\+)?json\b/i.test(type ?? "") && !(empty && type === null))
    throw new AppError("unsupported_media_type", "Send the body as application/json.");
  if (empty) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("malformed_json", "The body is not valid JSON.");
  }
}
