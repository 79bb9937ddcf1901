/** Dotloop error bodies: the body format is undocumented; the gateway's Spring-style shape is used. */
import { json } from "../lib/http";

const REASONS: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  422: "Unprocessable Entity",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/** `{timestamp, status, error, message, path}` for a status. */
export function dotloopBody(status: number, message: string, url: string): Record<string, unknown> {
  return { timestamp: new Date().toISOString(), status, error: REASONS[status] ?? "Error", message, path: new URL(url).pathname };
}

export function dotloopError(status: number, message: string, url: string): Response {
  return json(dotloopBody(status, message, url), status);
}
