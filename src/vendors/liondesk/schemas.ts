import * as z from "../../lib/zod";

const text = z.nullish(z.string());

/** A LionDesk contact as the API returns it; fields the hub does not read pass through. */
export const LionDeskContact = z.looseObject({
  id: z.pipe(z.union([z.number(), z.string().check(z.minLength(1))]), z.transform(String)),
  first_name: text,
  last_name: text,
  email: text,
  mobile_phone: text,
  home_phone: text,
  office_phone: text,
  tags: z.nullish(z.union([z.string(), z.array(z.string())])),
  modified_at: text,
});
export type LionDeskContact = z.infer<typeof LionDeskContact>;

/** Feathers list envelope: `{total, limit, skip, data}`. */
export const page = <T extends z.ZodMiniType>(item: T) =>
  z.looseObject({
    total: z.nullish(z.number()),
    limit: z.nullish(z.number()),
    skip: z.nullish(z.number()),
    data: z._default(z.array(item), []),
  });

/** The body of `POST /contacts` and `PATCH /contacts/{id}` (none of the fields is required). */
export const ContactBody = z.object({
  first_name: z.optional(z.string()),
  last_name: z.optional(z.string()),
  email: z.optional(z.string()),
  mobile_phone: z.optional(z.string()),
  home_phone: z.optional(z.string()),
  office_phone: z.optional(z.string()),
  fax: z.optional(z.string()),
  company: z.optional(z.string()),
  tags: z.optional(z.string()),
  assigned_user_id: z.optional(z.int()),
  source_id: z.optional(z.int()),
});
export type ContactBody = z.infer<typeof ContactBody>;

export const LionDeskNote = z.looseObject({ id: z.pipe(z.union([z.number(), z.string()]), z.transform(String)), content: text });
export type LionDeskNote = z.infer<typeof LionDeskNote>;

/** The body of `POST /leads`: a lead (an inquiry) attached to a contact. */
export const LeadBody = z.object({
  contact_id: z.int(),
  source_id: z.optional(z.int()),
  text_body: z.optional(z.string()),
  mls_id: z.optional(z.string()),
  listing_price: z.optional(z.number()),
  street_address: z.optional(z.string()),
  city: z.optional(z.string()),
  state: z.optional(z.string()),
  zipcode: z.optional(z.string()),
  type: z.optional(z.string()),
});
export type LeadBody = z.infer<typeof LeadBody>;
