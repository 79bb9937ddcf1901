import { AppError } from "../lib/errors";
import defaults from "../../config/brokerage.json";
import { BrokerageConfig } from "./brokerage";

/** Replaces `${NAME}` in every string with the Worker var or secret of that name. */
export function interpolate(value: unknown, env: Record<string, unknown>, missing: string[]): unknown {
  if (typeof value === "string") {
    return value.replace(/\$\{([A-Z0-9_]+)\}/g, (_, name: string) => {
      const v = env[name];
      if (typeof v !== "string") missing.push(name);
      return typeof v === "string" ? v : "";
    });
  }
  if (Array.isArray(value)) return value.map((v) => interpolate(v, env, missing));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, env, missing)]));
  }
  return value;
}

export type ConfigLoad = { ok: true; config: BrokerageConfig } | { ok: false; errors: Array<{ path: string; message: string }> };

/** Validates a configuration document against the environment; errors name the field. */
export function parseConfig(doc: unknown, env: Record<string, unknown>): ConfigLoad {
  const missing: string[] = [];
  const resolved = interpolate(doc, env, missing);
  const errors = missing.map((name) => ({ path: `\${${name}}`, message: "referenced but not set" }));
  const parsed = BrokerageConfig.safeParse(resolved);
  if (!parsed.success) {
    errors.push(...parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })));
  }
  return errors.length === 0 && parsed.success ? { ok: true, config: parsed.data } : { ok: false, errors };
}

let cached: { key: string; load: ConfigLoad } | undefined;

/**
 * The brokerage configuration: config/brokerage.json (bundled), or the BROKERAGE_CONFIG var when
 * set. Parsed once per isolate; an invalid configuration fails every request that needs it with
 * a message naming the field, rather than acting on a guess.
 */
export function brokerageConfig(env: Env): BrokerageConfig {
  const override = (env as unknown as Record<string, unknown>).BROKERAGE_CONFIG;
  const key = typeof override === "string" && override.trim() ? override : "";
  if (cached?.key !== key) {
    let doc: unknown = defaults;
    let load: ConfigLoad | undefined;
    if (key) {
      try {
        doc = JSON.parse(key);
      } catch {
        load = { ok: false, errors: [{ path: "BROKERAGE_CONFIG", message: "not valid JSON" }] };
      }
    }
    cached = { key, load: load ?? parseConfig(doc, env as unknown as Record<string, unknown>) };
  }
  const { load } = cached;
  if (!load.ok) {
    throw new AppError(
      "config_invalid",
      `Configuration invalid: ${load.errors.map((e) => `${e.path}: ${e.message}`).join("; ")}`,
      load.errors,
    );
  }
  return load.config;
}
