import type { DealStage, LeadData, Person } from "../../canonical";
import { ok, permanent, type Result } from "../../lib/result";
import { normalizeEmail, normalizePhone } from "../../normalize";
import type { CrmAdapter, CrmDeal, CrmPerson } from "../crm";
import type { Connection } from "../shared/transport";
import { LionDeskClient } from "./client";
import type { LionDeskContact } from "./schemas";
import { leadToLionDeskLead, personToContact } from "./to-vendor";

/** LionDesk contact → canonical person (only fields the hub syncs). */
export function lionDeskContactToCanonical(c: LionDeskContact): Person {
  const email = c.email ? normalizeEmail(c.email) : null;
  const phones = (
    [
      [c.mobile_phone, "mobile"],
      [c.home_phone, "home"],
      [c.office_phone, "work"],
    ] as const
  ).flatMap(([raw, type]) => {
    const n = raw ? normalizePhone(raw) : null;
    return n?.ok ? [{ value: n.e164, type, ...(n.ext ? { ext: n.ext } : {}) }] : [];
  });
  const tags =
    typeof c.tags === "string"
      ? c.tags
          .split(",")
          .map((t) => t.trim())
          .filter(Boolean)
      : (c.tags ?? []);
  return {
    id: c.id,
    ...(c.first_name ? { firstName: c.first_name } : {}),
    ...(c.last_name ? { lastName: c.last_name } : {}),
    emails: email?.ok ? [{ value: email.value }] : [],
    phones,
    roles: [],
    tags,
  };
}

/**
 * LionDesk as the brokerage's CRM. It has contacts, leads and notes but no deals in its API, so
 * the deal half of the interface reports that plainly instead of pretending.
 */
export class LionDeskCrm implements CrmAdapter {
  readonly system = "liondesk" as const;
  readonly client: LionDeskClient;

  constructor(conn: Connection) {
    this.client = new LionDeskClient(conn);
  }

  /** By email only: LionDesk's contact search takes an email, not a phone. */
  async findPerson(keys: { emails: string[]; phones: string[] }): Promise<Result<{ externalId: string } | null>> {
    for (const email of keys.emails) {
      const r = await this.client.findContactsByEmail(email);
      if (!r.ok) return r;
      if (r.value[0]) return ok({ externalId: r.value[0].id });
    }
    return ok(null);
  }

  /**
   * A lead for a known person becomes a note on them; otherwise the contact is searched by email
   * first, created only when absent, and the inquiry recorded as a LionDesk lead.
   */
  async sendLead(lead: LeadData, opts: { sourceName: string; knownExternalId?: string; assignTo?: string }) {
    let externalId = opts.knownExternalId ?? null;
    if (!externalId) {
      const found = await this.findPerson({ emails: lead.person.emails.map((e) => e.value), phones: [] });
      if (!found.ok) return found;
      externalId = found.value?.externalId ?? null;
    }
    const inquiry = `New inquiry from ${opts.sourceName}${lead.message ? `: ${lead.message}` : ""}`;
    if (externalId) {
      const note = await this.client.addNote(externalId, inquiry);
      return note.ok ? ok({ externalId, created: false, ignored: false }) : note;
    }
    const created = await this.client.createContact(personToContact(lead.person));
    if (!created.ok) return created;
    const contact = { externalId: created.value.id, created: true, ignored: false };
    const recorded = await this.client.createLead(leadToLionDeskLead(lead, Number(created.value.id)));
    if (recorded.ok) return ok(contact);
    // The contact exists now, and a retry could not find a contact without an email: the inquiry
    // goes on it as a note instead, as for a known person, and the contact is recorded.
    const note = await this.client.addNote(created.value.id, inquiry);
    return note.ok ? ok(contact) : recorded;
  }

  /** The change time is `modified_at` as the sandbox names it; unverified: the public docs seen show no such field. */
  async getPerson(externalId: string): Promise<Result<CrmPerson | null>> {
    const r = await this.client.getContact(externalId);
    if (!r.ok) return r.error.status === 404 ? ok(null) : r;
    return ok({ person: lionDeskContactToCanonical(r.value), ...(r.value.modified_at ? { updatedAt: r.value.modified_at } : {}) });
  }

  async updatePerson(
    externalId: string,
    patch: { emails?: string[]; phones?: string[]; firstName?: string; lastName?: string },
  ): Promise<Result<void>> {
    const r = await this.client.updateContact(externalId, {
      ...(patch.firstName ? { first_name: patch.firstName } : {}),
      ...(patch.lastName ? { last_name: patch.lastName } : {}),
      ...(patch.emails?.[0] ? { email: patch.emails[0] } : {}),
      ...(patch.phones?.[0] ? { mobile_phone: patch.phones[0] } : {}),
    });
    return r.ok ? ok(undefined) : r;
  }

  async addNote(personExternalId: string, subject: string, body: string): Promise<Result<void>> {
    const r = await this.client.addNote(personExternalId, `${subject}\n\n${body}`);
    return r.ok ? ok(undefined) : r;
  }

  async getDeal(_externalId: string): Promise<Result<CrmDeal | null>> {
    return ok(null);
  }

  async updateDealFields(): Promise<Result<void>> {
    return permanent("liondesk_no_deals", "LionDesk's API has no deals; configure a CRM with deals for the deal flows", {
      vendor: "liondesk",
    });
  }

  async updateDeal(
    _externalId: string,
    _patch: { stage?: DealStage; customFields?: Record<string, string | number> },
  ): Promise<Result<void>> {
    return permanent("liondesk_no_deals", "LionDesk's API has no deals; configure a CRM with deals for the deal flows", {
      vendor: "liondesk",
    });
  }
}
