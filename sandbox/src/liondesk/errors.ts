/** LionDesk (Feathers) error bodies: `{name, message, code, className}`. */
import { json } from "../lib/http";

const NAMES: Record<number, [string, string]> = {
  400: ["BadRequest", "bad-request"],
  401: ["NotAuthenticated", "not-authenticated"],
  404: ["NotFound", "not-found"],
  429: ["TooManyRequests", "too-many-requests"],
};

export function featherError(status: number, message: string, headers: Record<string, string> = {}): Response {
  const [name, className] = NAMES[status] ?? ["GeneralError", "general-error"];
  return json({ name, message, code: status, className }, status, headers);
}
