import { fail, ok, type Norm } from "./result";

/** RFC 5322 dot-atom local part (no quoted strings: no CRM accepts them). */
const LOCAL = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
/** A DNS label: letters, digits, hyphens inside; punycode labels (xn--) included. */
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * Normalizes an email address: trims, unwraps "Name <addr>" and "mailto:", lowercases, turns
 * an internationalized domain into punycode, and validates (dot-atom local part ≤ 64, at least
 * two domain labels, alphabetic TLD, ≤ 254 in all). Anything else is refused with
 * `email_empty` or `email_invalid`, never repaired.
 */
export function normalizeEmail(raw: string): Norm<string> {
  if (typeof raw !== "string" || raw.trim() === "") return fail("email_empty", "email is empty");
  let s = raw.trim();
  const angle = /<([^<>]*)>\s*$/.exec(s);
  if (angle?.[1] !== undefined) s = angle[1].trim();
  s = s.replace(/^mailto:/i, "").toLowerCase();
  const at = s.lastIndexOf("@");
  if (at <= 0 || at === s.length - 1) return fail("email_invalid", "not an email address");
  const local = s.slice(0, at);
  const domain = asciiDomain(s.slice(at + 1).replace(/\.$/, ""));
  if (local.length > 64 || !LOCAL.test(local)) return fail("email_invalid", "invalid local part");
  if (domain === undefined) return fail("email_invalid", "invalid domain");
  const labels = domain.split(".");
  const tld = labels[labels.length - 1] ?? "";
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l)) || !/^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/.test(tld)) {
    return fail("email_invalid", "invalid domain");
  }
  const value = `${local}@${domain}`;
  return value.length > 254 ? fail("email_invalid", "address too long") : ok(value);
}

/** Punycode via the URL parser (a Web API), so "bücher.de" becomes "xn--bcher-kva.de". */
function asciiDomain(domain: string): string | undefined {
  if (domain === "" || /[\s@/\\?#:[\]%]/.test(domain)) return undefined;
  if (/^[a-z0-9.-]+$/.test(domain)) return domain;
  try {
    return new URL(`http://${domain}`).hostname;
  } catch {
    return undefined;
  }
}
