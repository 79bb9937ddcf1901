// The hub's vars for a local run: every vendor URL points at the sandbox. wrangler.toml names the
// real vendors (it is what `wrangler deploy` ships), so each local launcher (`npm start`, the
// bench and soak, the browser test) passes these as `--var` overrides and nothing started from
// this checkout can reach a production vendor with development credentials.
export const sandboxVendorVars = (sandbox) => ({
  FOLLOWUPBOSS_BASE_URL: `${sandbox}/followupboss`,
  DOTLOOP_API_BASE_URL: `${sandbox}/dotloop/public/v2`,
  DOTLOOP_AUTH_BASE_URL: `${sandbox}/dotloop/oauth`,
  SKYSLOPE_BASE_URL: `${sandbox}/skyslope`,
  QUICKBOOKS_API_BASE_URL: `${sandbox}/quickbooks`,
  QUICKBOOKS_AUTH_URL: `${sandbox}/quickbooks/connect/oauth2`,
  QUICKBOOKS_TOKEN_URL: `${sandbox}/quickbooks/oauth2/v1/tokens/bearer`,
  LIONDESK_BASE_URL: `${sandbox}/liondesk`,
  ENRICHMENT_BASE_URL: `${sandbox}/enrichment`,
});

export const localHubVars = ({ hub, sandbox }) => ({ ...sandboxVendorVars(sandbox), HUB_PUBLIC_URL: hub });

/** `--var NAME:value` arguments for wrangler dev. */
export const varArgs = (vars) => Object.entries(vars).flatMap(([k, v]) => ["--var", `${k}:${v}`]);
