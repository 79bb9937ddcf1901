/** Re-roots rules under a path, so one set of rules serves a field wherever a vendor nests it. */
import type { Rule } from "../types";

export function under(prefix: string, rules: readonly Rule[]): Rule[] {
  return rules.map((r) => ("from" in r ? { ...r, from: `${prefix}.${r.from}`, aliases: r.aliases?.map((a) => `${prefix}.${a}`) } : r));
}
