/** `text` parsed as JSON, or `otherwise` when it is not JSON. */
export function parseJsonOr(text: string, otherwise: unknown): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return otherwise;
  }
}
