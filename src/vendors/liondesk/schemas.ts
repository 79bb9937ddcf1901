import * as z from "zod";

const text = z.string().nullish();

/** A LionDesk contact as the API returns it; fields the hub does not read pass through. */
export const LionDeskContact = z.looseObject({
  id: z.union([z.number(), z.string().min(1)]).transform(String),
  first_name: text,
  last_name: text,
  email: text,
  mobile_phone: text,
  home_phone: text,
  office_phone: text,
  tags: z.union([z.string(), z.array(z.string())]).nullish(),
  modified_at: text,
});
export type LionDeskContact = z.infer<typeof LionDeskContact>;

/** Feathers list envelope: `{total, limit, skip, data}`. */
export const page = <T extends z.ZodType>(item: T) =>
  z.looseObject({ total: z.number().nullish(), limit: z.number().nullish(), skip: z.number().nullish(), data: z.array(item).default([]) });

/** The body of `POST /contacts` and `PATCH /contacts/{id}` (none of the fields is required). */
export const ContactBody = z.object({
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  email: z.string().optional(),
  mobile_phone: z.string().optional(),
  home_phone: z.string().optional(),
  office_phone: z.string().optional(),
  fax: z.string().optional(),
  company: z.string().optional(),
  tags: z.string().optional(),
  assigned_user_id: z.number().int().optional(),
  source_id: z.number().int().optional(),
});
export type ContactBody = z.infer<typeof ContactBody>;

export const LionDeskNote = z.looseObject({ id: z.union([z.number(), z.string()]).transform(String), content: text });
export type LionDeskNote = z.infer<typeof LionDeskNote>;

/** The body of `POST /leads`: a lead (an inquiry) attached to a contact. */
export const LeadBody = z.object({
  contact_id: z.number().int(),
  source_id: z.number().int().optional(),
  text_body: z.string().optional(),
  mls_id: z.string().optional(),
  listing_price: z.number().optional(),
  street_address: z.string().optional(),
  city: z.string().optional(),
  state: z.string().optional(),
  zipcode: z.string().optional(),
  type: z.string().optional(),
});
export type LeadBody = z.infer<typeof LeadBody>;
