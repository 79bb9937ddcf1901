import * as z from "../lib/zod";
import type { ConnectionConfig } from "../config/brokerage";
import { DotloopClient } from "../vendors/dotloop/client";
import { DOTLOOP_HOOK_EVENTS, listDotloopSubscriptions, subscriptionKey } from "../vendors/dotloop/subscriptions";
import { connectionFor } from "../vendors/registry";
import { renewNow, Sheet } from "./sheet";
import {
  credentialsAccepted,
  failed,
  loopItPermitted,
  loopProfile,
  profileReachable,
  said,
  tokenRenewed,
  webhooksPointHere,
} from "./verdicts";

/** What the doctor reads of a profile: Dotloop's `requiresTemplate` says loops need a template. */
const Profile = z.looseObject({
  id: z.string(),
  type: z.nullish(z.string()),
  default: z.nullish(z.boolean()),
  requiresTemplate: z.nullish(z.boolean()),
});

/**
 * Dotloop, read-only: the stored grant works (GET /profile), an individual profile will hold the
 * loops and lets Loop-It create them without a template, the hub's subscription points here (for
 * the TMS connection, whose subscription the webhook sync keeps; an agent's grant has none of its
 * own), and (last) the refresh token renews the grant.
 */
export async function checkDotloop(env: Env, conn: ConnectionConfig, hubUrl: string, subscribes: boolean): Promise<Sheet> {
  const sheet = new Sheet(conn.id, "dotloop");
  const connection = connectionFor(env, conn);
  const reconnect = `Connect again at ${hubUrl}/connect/dotloop?connection=${encodeURIComponent(conn.id)} (an operator signs in to Dotloop and allows the hub).`;

  const profiles = await new DotloopClient(connection).getProfiles();
  const cred = sheet.add("credentials", "Access token accepted", credentialsAccepted(profiles, reconnect));
  const later: Array<[string, string]> = [
    ["profile", "Individual profile reachable"],
    ["loop_it", "Loop-It permitted"],
  ];
  if (subscribes) later.push(["subscription", "Webhook subscription points at this hub"]);
  if (cred.status !== "pass" || !profiles.ok) sheet.skip("Access token accepted", later);
  else {
    const list = z.array(Profile).safeParse(profiles.value);
    const all = list.success ? list.data : [];
    const configured = conn.agent?.profileId;
    const profileFix = configured
      ? `Set agent.profileId of ${conn.id} to an INDIVIDUAL profile this grant reaches, or connect with the login of the agent who owns profile ${configured}.`
      : `Connect ${conn.id} with the Dotloop login of an agent (loops live in an agent's individual profile, not an office's), or set agent.profileId.`;
    const reach = sheet.add("profile", "Individual profile reachable", profileReachable(all, configured, profileFix));
    const chosen = loopProfile(all, configured);
    if (reach.status !== "pass" || !chosen) sheet.skip("Individual profile reachable", [["loop_it", "Loop-It permitted"]]);
    else
      sheet.add(
        "loop_it",
        "Loop-It permitted",
        loopItPermitted(
          chosen,
          `Profile ${chosen.id} requires a loop template, and the hub creates loops without one: turn off "require template" for it in Dotloop (profile settings, its admin), or set agent.profileId to a profile that does not require one.`,
        ),
      );

    if (subscribes) {
      const subs = await listDotloopSubscriptions(connection);
      const url = `${hubUrl}/hooks/dotloop`;
      const fix = "Run `dealwire webhooks sync` (POST /ops/api/webhooks/sync) to create or repoint the hub's Dotloop subscription.";
      sheet.add(
        "subscription",
        "Webhook subscription points at this hub",
        subs.ok
          ? webhooksPointHere({ url, events: DOTLOOP_HOOK_EVENTS, shape: "single", key: await subscriptionKey(env) }, subs.value, fix)
          : failed(said(subs.error), fix),
      );
    }
  }

  sheet.add("refresh", "Token refresh works", tokenRenewed(await renewNow(connection), `Dotloop would not renew the grant: ${reconnect}`));
  return sheet;
}
