import * as z from "../../lib/zod";
import { sourceSecrets } from "../../config/sources";
import { toHex, utf8 } from "../../lib/bytes";
import type { Registration } from "../../flows/webhook-registration";
import { isHubHook } from "../shared/hub-hook";
import { ok, permanent, type Result } from "../../lib/result";
import { vendorRequest, type Connection } from "../shared/transport";

/** Dotloop `/subscription`: one subscription lists every event type it wants. */
const Subscription = z.looseObject({
  id: z.pipe(z.union([z.number(), z.string()]), z.transform(String)),
  url: z.string(),
  eventTypes: z._default(z.array(z.string()), []),
  externalId: z.nullish(z.string()),
  enabled: z._default(z.boolean(), true),
});
const List = z.looseObject({ data: z._default(z.array(Subscription), []) });
const One = z.looseObject({ data: Subscription });

/**
 * Marks the hub's own subscription, whatever URL it points at: `dealwire:<key tag>`, the tag
 * naming the signing key it was given (Dotloop never shows a key again), so a sync after the
 * secret is rotated hands Dotloop the new one. A bare `dealwire` is the hub's from before tags.
 */
const HUB_EXTERNAL_ID = "dealwire";

/**
 * The hub's mark on a subscription given `signingKey`: `dealwire:` and the key's tag, a fingerprint
 * that tells keys apart without revealing one (64 bits of a SHA-256).
 */
async function hubMark(signingKey: string): Promise<string> {
  return `${HUB_EXTERNAL_ID}:${toHex(await crypto.subtle.digest("SHA-256", utf8(signingKey))).slice(0, 16)}`;
}

/** The mark a subscription given the hub's Dotloop signing key (the first of its secrets) carries. */
export const subscriptionKey = (env: Env) => hubMark(sourceSecrets(env, "dotloop")[0] ?? "");

/** Profile-targeted loop events: the ones the TMS consumer turns into loop fetches. */
export const DOTLOOP_HOOK_EVENTS = [
  "LOOP_CREATED",
  "LOOP_UPDATED",
  "LOOP_PARTICIPANT_CREATED",
  "LOOP_PARTICIPANT_UPDATED",
  "LOOP_PARTICIPANT_DELETED",
];

const unexpected = (what: string, e: z.core.$ZodError) =>
  permanent("vendor_unexpected_response", `${what}: ${e.issues[0]?.message ?? "invalid"}`, { vendor: "dotloop" });

export async function listDotloopSubscriptions(conn: Connection): Promise<Result<Registration[]>> {
  const r = await vendorRequest<unknown>(conn, { method: "GET", path: "/subscription" });
  if (!r.ok) return r;
  const list = List.safeParse(r.value.data);
  if (!list.success) return unexpected("GET /subscription", list.error);
  return ok(
    list.data.data.map((s) => ({
      id: s.id,
      events: s.eventTypes,
      url: s.url,
      active: s.enabled,
      ours: s.externalId?.split(":")[0] === HUB_EXTERNAL_ID || isHubHook(s.url, "dotloop"),
      // The mark names the key the subscription was given: one given another key is replaced.
      key: s.externalId ?? undefined,
    })),
  );
}

type SubscriptionInput = { url: string; eventTypes: string[]; signingKey: string; profileId: string };

export async function createDotloopSubscription(conn: Connection, s: SubscriptionInput): Promise<Result<string>> {
  const json = {
    targetType: "PROFILE",
    targetId: Number(s.profileId),
    url: s.url,
    eventTypes: s.eventTypes,
    signingKey: s.signingKey,
    externalId: await hubMark(s.signingKey),
    enabled: true,
  };
  const r = await vendorRequest<unknown>(conn, { method: "POST", path: "/subscription", json });
  if (!r.ok) return r;
  const one = One.safeParse(r.value.data);
  return one.success ? ok(one.data.data.id) : unexpected("POST /subscription", one.error);
}

export async function updateDotloopSubscription(
  conn: Connection,
  id: string,
  s: Omit<SubscriptionInput, "profileId">,
): Promise<Result<true>> {
  const json = {
    url: s.url,
    eventTypes: s.eventTypes,
    signingKey: s.signingKey,
    externalId: await hubMark(s.signingKey),
    enabled: true,
  };
  const r = await vendorRequest<unknown>(conn, { method: "PATCH", path: `/subscription/${encodeURIComponent(id)}`, json });
  return r.ok ? ok(true) : r;
}

export async function deleteDotloopSubscription(conn: Connection, id: string): Promise<Result<true>> {
  const r = await vendorRequest<unknown>(conn, { method: "DELETE", path: `/subscription/${encodeURIComponent(id)}` });
  return r.ok ? ok(true) : r;
}
