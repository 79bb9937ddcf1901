/** True when a URL is the hub's intake for `source`, on any host (the hub's old URL included). */
export function isHubHook(url: string, source: string): boolean {
  try {
    return new URL(url).pathname.replace(/\/+$/, "") === `/hooks/${source}`;
  } catch {
    return false;
  }
}
