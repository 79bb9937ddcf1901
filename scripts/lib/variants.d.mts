/** One published vendor variant a flow-test run plays (see variants.mjs). */
export interface Variant {
  name: string;
  sandbox: Record<string, Record<string, unknown>>;
  hub?: Record<string, string>;
  files: string[];
}
export const VARIANTS: Variant[];
