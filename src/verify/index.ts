/**
 * Webhook signature verification: the first thing POST /hooks/:source does with the raw body.
 * `verifyWebhook` checks a delivery; `sign*` produce valid ones; `SchemeConfigSchema` is the
 * configuration language (presets are data in `SCHEME_PRESETS`).
 */
export { verifyWebhook, DEFAULT_TOLERANCE_SECONDS } from "./verify-webhook";
export type { VerifyInput } from "./verify-webhook";
export { VERIFY_ERROR_CODES } from "./result";
export type { VerifyErrorCode, VerifyResult } from "./result";
export {
  HmacSchemeSchema,
  SchemeConfigSchema,
  SchemeNameSchema,
  SchemeOverridesSchema,
  SignatureListSchema,
  TEMPLATE_PLACEHOLDERS,
  parseSchemeConfig,
  parseSchemeOverrides,
} from "./scheme-config";
export type { ConfigResult, HmacScheme, SchemeConfig, SchemeName, SchemeOverrides } from "./scheme-config";
export { SCHEME_PRESETS, resolveScheme } from "./presets";
export { signWebhook } from "./sign-webhook";
export type { SignInput } from "./sign-webhook";
export {
  signDocuSign,
  signDotloop,
  signFollowUpBoss,
  signGitHub,
  signQuickBooks,
  signStandardWebhook,
  signStripe,
} from "./sign-presets";
export type { Secrets } from "./delivery-input";
export type { HeaderInput } from "./header-reader";
