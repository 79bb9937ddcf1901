/**
 * The connection doctor's decisions: each takes what a vendor answered (or the hub's own
 * configuration) and says whether one assumption of the flows holds, and if not, what to do.
 * Pure: no bindings, no calls. The calls are made in ./probes and fed through these.
 */
import { failureLabel } from "../lib/failures";
import type { Failure, Result } from "../lib/result";
import { planRegistrations, type Desired, type Registration } from "../flows/webhook-registration";

export type CheckStatus = "pass" | "fail" | "skip";

/** One assumption's outcome: `fix` says what to change when it does not hold. */
export type Verdict = { status: CheckStatus; detail: string; fix?: string };

export const pass = (detail: string): Verdict => ({ status: "pass", detail });
export const failed = (detail: string, fix: string): Verdict => ({ status: "fail", detail, fix });
/** Not checked: something it needs failed first (that failure carries the fix). */
export const skipped = (why: string): Verdict => ({ status: "skip", detail: why });

/** A vendor's refusal in one line: code, status and its own words. */
export const said = (e: Failure): string => `${failureLabel(e)}${e.status ? ` (HTTP ${e.status})` : ""}: ${e.message}`;

/** Whether a failure is the vendor (or the hub's gate) refusing the credential itself. */
export function credentialRefused(e: Failure): boolean {
  return e.status === 401 || ["not_connected", "credential_unreadable", "credentials_missing", "config_invalid"].includes(e.code);
}

/** The fix for a vendor that failed for another reason than the one checked (down, throttled, moved). */
export const unreachable = (e: Failure): string =>
  `${e.vendor ?? "The vendor"} did not answer as expected: run the doctor again; if it persists, check the connection's baseUrl and the vendor's status page.`;

/** Any authenticated call: the credential works when the vendor did not refuse it. */
export function credentialsAccepted(answer: Result<unknown>, fix: string): Verdict {
  if (answer.ok) return pass("the vendor accepted the credential");
  return credentialRefused(answer.error)
    ? failed(said(answer.error), fix)
    : failed(`the vendor did not answer as expected: ${said(answer.error)}`, unreachable(answer.error));
}

/** A forced renewal (OAuth refresh, vendor login): a new token must come back. */
export function tokenRenewed(answer: Result<{ before?: string; after?: string }>, fix: string): Verdict {
  if (!answer.ok) return failed(said(answer.error), fix);
  if (answer.value.after !== undefined && answer.value.after === answer.value.before)
    return failed("the stored token was not renewed", fix);
  return pass("a new token was issued and stored");
}

/** Follow Up Boss: the system key is configured and the vendor accepted it (on /v1/webhooks, which requires it). */
export function systemKeyAccepted(
  creds: { system?: string | undefined; systemKey?: string | undefined },
  answer: Result<unknown>,
  fix: string,
): Verdict {
  if (!creds.system || !creds.systemKey)
    return failed("no system name and key are configured: webhooks cannot be registered and rate limits are halved", fix);
  if (answer.ok) return pass(`system '${creds.system}' accepted`);
  return failed(said(answer.error), fix);
}

/** The deal custom field the transaction id is written to exists among the CRM's deal fields. */
export function dealFieldExists(field: string, fields: Array<{ name: string; label?: string | null | undefined }>, fix: string): Verdict {
  const found = fields.find((f) => f.name === field);
  return found
    ? pass(`deal field ${field}${found.label ? ` ("${found.label}")` : ""} exists`)
    : failed(`no deal custom field ${field} among ${fields.length} deal fields`, fix);
}

/** Every custom field the brokerage's field mapping writes exists, by key, among the fields of the record it is written to. */
export function mappedFieldsExist(
  wanted: Array<{ field: string; key: string; among: ReadonlyArray<{ name: string }> }>,
  fix: (missing: string[]) => string,
): Verdict {
  if (wanted.length === 0) return pass("the field mapping names no custom fields here");
  const missing = wanted.filter((w) => !w.among.some((f) => f.name === w.key));
  if (missing.length === 0)
    return pass(`${wanted.length} mapped field${wanted.length === 1 ? "" : "s"} exist: ${wanted.map((w) => w.key).join(", ")}`);
  const keys = missing.map((m) => `${m.key} (fields.${m.field})`);
  return failed(`missing: ${keys.join(", ")}; every write of a record carrying them is refused`, fix(keys));
}

type Pipelines = Array<{ name: string; stages: Array<{ name: string }> }>;

const stageNames = (pipelines: Pipelines) => new Set(pipelines.flatMap((p) => p.stages.map((s) => s.name)));

/** Some pipeline holds the stage (vendor name) that creates the transaction. */
export function triggerStageExists(trigger: string, pipelines: Pipelines, fix: string): Verdict {
  const holding = pipelines.filter((p) => p.stages.some((s) => s.name === trigger)).map((p) => p.name);
  return holding.length > 0
    ? pass(`'${trigger}' is a stage of ${holding.join(", ")}`)
    : failed(`no pipeline has a stage named '${trigger}'`, fix);
}

/** Every stage named in the stage mapping exists (the trigger stage has a check of its own). */
export function mappedStagesExist(mapped: string[], trigger: string, pipelines: Pipelines, fix: (missing: string[]) => string): Verdict {
  const names = stageNames(pipelines);
  const missing = mapped.filter((s) => s !== trigger && !names.has(s));
  return missing.length === 0
    ? pass(`all ${mapped.length} mapped stages exist`)
    : failed(`no pipeline has ${missing.map((s) => `'${s}'`).join(", ")}`, fix(missing));
}

/** The vendor delivers exactly the hub's events to this hub's URL: a sync would change nothing. */
export function webhooksPointHere(desired: Desired, current: Registration[], fix: string): Verdict {
  const actions = planRegistrations(desired, current).filter((a) => a.kind !== "keep");
  if (actions.length === 0) return pass(`${desired.events.length} event(s) delivered to ${desired.url}`);
  const what = actions.map((a) =>
    a.kind === "create" ? `missing ${a.events.join(", ")}` : a.kind === "update" ? `${a.events.join(", ")} → ${a.from}` : `stale ${a.url}`,
  );
  return failed(what.join("; "), fix);
}

type Profile = {
  id: string;
  type?: string | null | undefined;
  default?: boolean | null | undefined;
  requiresTemplate?: boolean | null | undefined;
};

/** The profile loops are created in: the configured one, else the default individual profile. */
export function loopProfile(profiles: Profile[], configured: string | undefined): Profile | null {
  if (configured) return profiles.find((p) => p.id === configured && p.type === "INDIVIDUAL") ?? null;
  const individual = profiles.filter((p) => p.type === "INDIVIDUAL");
  return individual.find((p) => p.default) ?? individual[0] ?? null;
}

/** Dotloop: an individual profile the grant reaches will hold the loops. */
export function profileReachable(profiles: Profile[], configured: string | undefined, fix: string): Verdict {
  const p = loopProfile(profiles, configured);
  if (p) return pass(`loops go to profile ${p.id}`);
  return failed(
    configured
      ? `profile ${configured} is not an individual profile this grant reaches`
      : `none of the ${profiles.length} profile(s) is an individual profile`,
    fix,
  );
}

/** Dotloop Loop-It: the hub creates loops without a template, which a profile may forbid. */
export function loopItPermitted(profile: Profile, fix: string): Verdict {
  return profile.requiresTemplate === true
    ? failed(`profile ${profile.id} requires a template for new loops`, fix)
    : pass(`profile ${profile.id} takes loops without a template`);
}

/** QuickBooks: the realm answered (a 403 is a grant that does not cover the company). */
export function realmReachable(realm: string, answer: Result<unknown>, fix: string): Verdict {
  if (answer.ok) return pass(`company ${realm} answered`);
  return answer.error.status === 403 ? failed(said(answer.error), fix) : failed(said(answer.error), unreachable(answer.error));
}

/** QuickBooks: the configured item exists and is active. */
export function itemUsable(ref: string, item: Record<string, unknown> | null, fix: string): Verdict {
  if (!item) return failed(`no item with Id ${ref}`, fix);
  if (item.Active === false) return failed(`item ${ref} (${String(item.Name ?? "")}) is inactive`, fix);
  return pass(`item ${ref} "${String(item.Name ?? "")}" is active`);
}

const EXPENSE_TYPES = ["Expense", "Other Expense", "Cost of Goods Sold"];

/** QuickBooks: the configured expense account (agent bills) exists, is active and is an expense account. */
export function expenseAccountUsable(ref: string, account: Record<string, unknown> | null, fix: string): Verdict {
  if (!account) return failed(`no account with Id ${ref}`, fix);
  if (account.Active === false) return failed(`account ${ref} is inactive`, fix);
  const type = String(account.AccountType ?? "");
  if (!EXPENSE_TYPES.includes(type)) return failed(`account ${ref} is of type ${type || "unknown"}, not an expense account`, fix);
  return pass(`account ${ref} "${String(account.Name ?? "")}" (${type})`);
}

/** A webhook secret the hub verifies a source with is configured. */
export function secretSet(name: string, secrets: readonly string[], fix: string): Verdict {
  return secrets.length > 0 ? pass(`${name} is set`) : failed(`${name} is not set: every delivery would be refused`, fix);
}

/** SkySlope: offices are visible, and the ones sales are filed in offer a Sale checklist type. */
export function officesUsable(
  offices: Array<{ officeGuid: string; name?: string | null | undefined }>,
  saleChecklists: Map<string, number>,
  checklistConfigured: boolean,
  fix: string,
): Verdict {
  if (offices.length === 0) return failed("the access key's user sees no office", fix);
  if (checklistConfigured) return pass(`${offices.length} office(s); checklist type configured`);
  const without = offices.filter((o) => (saleChecklists.get(o.officeGuid) ?? 0) === 0).map((o) => o.name ?? o.officeGuid);
  return without.length === 0
    ? pass(`${offices.length} office(s), each with a Sale checklist type`)
    : failed(`no Sale checklist type in ${without.join(", ")}`, fix);
}

/** SkySlope: the agents sales are filed under are SkySlope users (matched by email). */
export function agentsMap(users: Array<{ email?: string | null | undefined }>, agentEmail: string | undefined, fix: string): Verdict {
  if (agentEmail) {
    return users.some((u) => u.email?.toLowerCase() === agentEmail.toLowerCase())
      ? pass(`${agentEmail} is a SkySlope user`)
      : failed(`${agentEmail} is not among ${users.length} SkySlope user(s)`, fix);
  }
  return users.length > 0
    ? pass(`${users.length} SkySlope user(s) to match deal agents by email`)
    : failed("the access key sees no SkySlope users to file sales under", fix);
}

/**
 * DocuSign Connect: the last delivery carried `data.envelopeSummary.recipients`, which the hub
 * needs to note who signed. Null: nothing delivered yet, so nothing can be said.
 */
export function connectIncludesRecipients(last: { receivedAt: number; payload: unknown } | null, fix: string): Verdict {
  if (!last) return skipped("no DocuSign delivery received yet: checked on the first one");
  const data =
    typeof last.payload === "object" && last.payload !== null
      ? (last.payload as { data?: { envelopeSummary?: { recipients?: unknown } } }).data
      : undefined;
  const when = new Date(last.receivedAt).toISOString();
  return data?.envelopeSummary?.recipients
    ? pass(`the delivery of ${when} included recipients`)
    : failed(`the delivery of ${when} had no envelopeSummary.recipients`, fix);
}

/**
 * An MLS's Web API answered at its base URL: an answer other than a server error proves the host is
 * there (a 401 without credentials is what a protected RESO server says).
 */
export function serverReachable(url: string, answer: { status: number } | { error: string }, fix: string): Verdict {
  if ("error" in answer) return failed(`${url} did not answer: ${answer.error}`, fix);
  if (answer.status >= 500) return failed(`${url} answered HTTP ${answer.status}`, fix);
  return pass(`${url} answered HTTP ${answer.status}`);
}

/** The MLS copy is current: a complete run within the budget, or an initial sync still moving. */
export function replicationCurrent(lag: { state: string; detail: string }, fix: string): Verdict {
  return lag.state === "current" || lag.state === "initial_sync" ? pass(lag.detail) : failed(lag.detail, fix);
}
