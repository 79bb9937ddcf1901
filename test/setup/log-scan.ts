/**
 * Every line the hub logs while the workers tests run is scanned for PII, tokens, secrets and raw
 * bodies (rules in log-leaks.ts). The hub, its queue consumers and its Durable Objects run in the
 * test's own isolate, so wrapping `console` here sees all of them, at the cost of a few regexes
 * per line rather than a second run of the suite. A test during (or just after) which a leaking
 * line was written fails, naming the line.
 */
import { env } from "cloudflare:workers";
import { afterAll, afterEach } from "vitest";
import { findLeaks, secretValues, type Leak } from "./log-leaks";

const secrets = secretValues(env as unknown as Record<string, unknown>);
const found: Array<Leak & { line: string }> = [];

function text(args: readonly unknown[]): string {
  return args
    .map((a) => {
      if (typeof a === "string") return a;
      if (a instanceof Error) return `${a.name}: ${a.message}`;
      try {
        return JSON.stringify(a) ?? String(a);
      } catch {
        return String(a);
      }
    })
    .join(" ");
}

for (const method of ["log", "info", "warn", "error", "debug"] as const) {
  const original = console[method].bind(console);
  console[method] = (...args: unknown[]) => {
    const line = text(args);
    for (const leak of findLeaks(line, secrets)) found.push({ ...leak, line: line.slice(0, 300) });
    original(...args);
  };
}

/** Takes (and clears) what was found so far; for the test that proves the scan is live. */
export function takeLeaks(): Array<Leak & { line: string }> {
  return found.splice(0, found.length);
}

function failOnLeaks(): void {
  const leaks = takeLeaks();
  if (leaks.length === 0) return;
  const lines = leaks.map((l) => `  ${l.kind} (${l.excerpt}) in: ${l.line}`).join("\n");
  throw new Error(`log lines leaked data that must never be logged:\n${lines}`);
}

afterEach(failOnLeaks);
afterAll(failOnLeaks);
