/** QuickBooks Online error bodies: `{"Fault":{"Error":[{Message, Detail, code}],"type":..},"time":..}`. */
import { json } from "../lib/http";

export type FaultType =
  | "ValidationFault"
  | "SystemFault"
  | "AuthenticationFault"
  | "AuthorizationFault"
  | "ThrottleExceeded"
  | "QueryParserError";

/** The Fault document for one error. */
export function faultBody(type: FaultType, code: string, message: string, detail: string): Record<string, unknown> {
  return { Fault: { Error: [{ Message: message, Detail: detail, code }], type }, time: new Date().toISOString() };
}

export function fault(
  status: number,
  type: FaultType,
  code: string,
  message: string,
  detail: string,
  headers: Record<string, string> = {},
): Response {
  return json(faultBody(type, code, message, detail), status, headers);
}

/** 400 ValidationFault: the common case. */
export function validation(code: string, message: string, detail: string): Response {
  return fault(400, "ValidationFault", code, message, detail);
}

export const missing = (what: string): Response =>
  validation(
    "2020",
    "Required param missing, need to supply the required value for the API",
    `Required parameter ${what} is missing in the request`,
  );

export const badRef = (what: string): Response =>
  validation("2500", "Invalid Reference Id", `Invalid Reference Id : ${what} does not exist`);

export const notFound = (entity: string, id: string): Response =>
  validation(
    "610",
    "Object Not Found",
    `Object Not Found : Something you're trying to use has been made inactive. Check the fields with accounts, customers, items, vendors or employees. (${entity} ${id})`,
  );
