import { ok, permanent, type Result } from "../../lib/result";
import { vendorRequest, type Connection, type VendorRequest } from "../shared/transport";
import * as z from "../../lib/zod";
import { LionDeskContact, LionDeskNote, page, type ContactBody, type LeadBody } from "./schemas";

function parse<T>(schema: z.ZodMiniType<T>, data: unknown, what: string): Result<T> {
  const r = schema.safeParse(data);
  return r.success
    ? ok(r.data)
    : permanent("vendor_unexpected_response", `${what}: ${r.error.issues[0]?.message ?? "invalid"}`, { vendor: "liondesk" });
}

/** A typed LionDesk API v2 client over one connection. */
export class LionDeskClient {
  constructor(private readonly conn: Connection) {}

  private async call<T>(req: VendorRequest, schema: z.ZodMiniType<T>, what: string): Promise<Result<T>> {
    const r = await vendorRequest<unknown>(this.conn, req);
    return r.ok ? parse(schema, r.value.data, what) : r;
  }

  /** Contacts with this email (LionDesk matches it case-insensitively); search before creating. */
  async findContactsByEmail(email: string): Promise<Result<LionDeskContact[]>> {
    const r = await this.call({ method: "GET", path: "/contacts", query: { email, $limit: 10 } }, page(LionDeskContact), "GET contacts");
    return r.ok ? ok(r.value.data) : r;
  }

  getContact(id: string): Promise<Result<LionDeskContact>> {
    return this.call({ method: "GET", path: `/contacts/${encodeURIComponent(id)}` }, LionDeskContact, "GET contact");
  }

  createContact(body: ContactBody): Promise<Result<LionDeskContact>> {
    return this.call({ method: "POST", path: "/contacts", json: body }, LionDeskContact, "POST contact");
  }

  updateContact(id: string, patch: ContactBody): Promise<Result<LionDeskContact>> {
    return this.call({ method: "PATCH", path: `/contacts/${encodeURIComponent(id)}`, json: patch }, LionDeskContact, "PATCH contact");
  }

  addNote(contactId: string, content: string): Promise<Result<LionDeskNote>> {
    return this.call(
      { method: "POST", path: `/contacts/${encodeURIComponent(contactId)}/notes`, json: { content } },
      LionDeskNote,
      "POST note",
    );
  }

  /** Records an inquiry on a contact (`POST /leads`). */
  async createLead(body: LeadBody): Promise<Result<{ id: string }>> {
    const Lead = z.looseObject({ id: z.pipe(z.union([z.number(), z.string()]), z.transform(String)) });
    return this.call({ method: "POST", path: "/leads", json: body }, Lead, "POST lead");
  }

  /** `GET /me` validates the token: the cheap authenticated call for health checks. */
  async ping(): Promise<Result<true>> {
    const r = await vendorRequest<unknown>(this.conn, { method: "GET", path: "/me" });
    return r.ok ? ok(true) : r;
  }
}
