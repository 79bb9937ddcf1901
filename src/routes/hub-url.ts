/** The hub's own URL: HUB_PUBLIC_URL when set, else the origin the operator reached it at. */
export const hubUrlOf = (env: Env, requestUrl: string) => (env.HUB_PUBLIC_URL || new URL(requestUrl).origin).replace(/\/+$/, "");
