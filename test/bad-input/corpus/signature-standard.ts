/**
 * Standard Webhooks deliveries (standard, zillow, realtor, idx) that fail verification: missing
 * or empty parts, non-numeric / stale / future timestamps, forged, truncated, re-encoded and
 * tampered signatures, duplicated and oversized headers. Expectations follow the verifier's
 * order: signature header → id → timestamp syntax → usable signature → match → window.
 */
import { fixedSample } from "./samples";
import { asHeaderValue, HOSTILE_STRINGS } from "./hostile";
import { flipOne, base64ToHex, headerOf, withHeader } from "./mutate";
import { share, type Rng } from "./rng";
import { nowSeconds, pairs, secretOf, signedHeaders, STANDARD_SOURCES, without, type Source } from "./signing";
import { problem, type BadCase } from "./types";
import type { ErrorCode } from "../../../src/lib/errors";

type Headers = Record<string, string>;

const NON_NUMERIC = [
  "abc",
  "1e9",
  "-1",
  "+{now}",
  "{now}.5",
  "0x6553f100",
  "17 00",
  "NaN",
  "Infinity",
  "2026-01-01T00:00:00Z",
  "{now}s",
  "1".repeat(17),
  "\u00b9\u00b2",
  "{now},{now}",
];
// Ten minutes past the 300 s tolerance: still outside it however long the corpus takes to run.
const OUT_OF_WINDOW: ReadonlyArray<readonly [string, (now: number) => number | string]> = [
  ["10 min old", (n) => n - 600],
  ["an hour old", (n) => n - 3600],
  ["a year old", (n) => n - 365 * 86400],
  ["the epoch", () => 0],
  ["one second after the epoch", () => 1],
  ["10 min ahead", (n) => n + 600],
  ["a day ahead", (n) => n + 86400],
  ["year 2286", () => 9_999_999_999],
  ["in milliseconds", (n) => n * 1000],
  ["16 digits", () => "9".repeat(16)],
];

/** Every bad Standard Webhooks delivery for one source. */
export async function standardSignatureCases(source: Source, rng: Rng): Promise<BadCase[]> {
  const out: BadCase[] = [];
  const now = nowSeconds();
  const body = fixedSample(source, `bad-sig-${source}`);
  const id = `msg_bad_sig_${source}`;
  const good = await signedHeaders(source, body, { id, timestamp: now });
  const sig = headerOf(good, "webhook-signature").slice(3); // after "v1,"
  const add = (
    what: string,
    headers: Headers | ReadonlyArray<readonly [string, string]>,
    code: ErrorCode,
    sent: string | Uint8Array = body,
  ) =>
    out.push({
      name: `signature/${source}: ${what}`,
      route: "/hooks/:source",
      method: "POST",
      path: `/hooks/${source}`,
      headers: Array.isArray(headers) ? headers : pairs(headers as Headers),
      body: sent,
      expect: problem(code),
    });

  add("no signature headers at all", without(good, "webhook-id", "webhook-timestamp", "webhook-signature"), "signature_missing");
  add("webhook-signature missing", without(good, "webhook-signature"), "signature_missing");
  add("webhook-id missing", without(good, "webhook-id"), "signature_missing");
  add("webhook-id empty", withHeader(good, "webhook-id", ""), "signature_missing");
  add("webhook-timestamp missing", without(good, "webhook-timestamp"), "timestamp_invalid");
  add("webhook-timestamp empty", withHeader(good, "webhook-timestamp", ""), "timestamp_invalid");
  const k = STANDARD_SOURCES.indexOf(source as (typeof STANDARD_SOURCES)[number]);
  for (const t of share(NON_NUMERIC, k, 2)) {
    const text = t.replaceAll("{now}", String(now));
    add(
      `timestamp ${JSON.stringify(t.slice(0, 30))} (signed over it)`,
      await signedHeaders(source, body, { id, timestamp: text }),
      "timestamp_invalid",
    );
  }
  for (const s of share(HOSTILE_STRINGS, k, 4)) {
    add(
      `hostile timestamp ${JSON.stringify(s.slice(0, 20))}`,
      withHeader(good, "webhook-timestamp", asHeaderValue(s)),
      "timestamp_invalid",
    );
  }
  for (const [what, at] of share(OUT_OF_WINDOW, k, 2)) {
    add(`timestamp ${what}, correctly signed`, await signedHeaders(source, body, { id, timestamp: at(now) }), "timestamp_stale");
  }
  // A forged delivery learns nothing about the window: the signature is checked first.
  add(
    "timestamp an hour old and forged",
    withHeader(await signedHeaders(source, body, { id, timestamp: now - 3600 }), "webhook-signature", `v1,${flipOne(sig, rng, "base64")}`),
    "signature_invalid",
  );

  const other: Source = source === "idx" ? "zillow" : "idx";
  add(
    `signed with ${other}'s secret`,
    await signedHeaders(source, body, { id, timestamp: now, secret: secretOf(other) }),
    "signature_invalid",
  );
  add(
    "signed with an unrelated whsec secret",
    await signedHeaders(source, body, { id, timestamp: now, secret: `whsec_${btoa("not-the-secret-at-all-000")}` }),
    "signature_invalid",
  );
  add(
    "one character of the signature changed",
    withHeader(good, "webhook-signature", `v1,${flipOne(sig, rng, "base64")}`),
    "signature_invalid",
  );
  add("signature truncated by 4 characters", withHeader(good, "webhook-signature", `v1,${sig.slice(0, -4)}`), "signature_invalid");
  add("signature of another body", good, "signature_invalid", body.replace("}", ',"extra":1}'));
  add("body re-serialised with indentation", good, "signature_invalid", JSON.stringify(JSON.parse(body), null, 2));
  add("body with a trailing newline", good, "signature_invalid", `${body}\n`);
  add("webhook-id swapped after signing", withHeader(good, "webhook-id", `${id}_other`), "signature_invalid");
  add("timestamp moved by one second after signing", withHeader(good, "webhook-timestamp", String(now - 1)), "signature_invalid");
  add("empty v1 entry", withHeader(good, "webhook-signature", "v1,"), "signature_invalid");
  add("empty signature header", withHeader(good, "webhook-signature", ""), "signature_invalid");
  add("valid digest under key v2", withHeader(good, "webhook-signature", `v2,${sig}`), "signature_invalid");
  add("valid digest under key v1a", withHeader(good, "webhook-signature", `v1a,${sig}`), "signature_invalid");
  add("valid digest without its v1, key", withHeader(good, "webhook-signature", sig), "signature_invalid");
  add("valid digest with = instead of ,", withHeader(good, "webhook-signature", `v1=${sig}`), "signature_invalid");
  add("base64 garbage", withHeader(good, "webhook-signature", "v1,!!!!####"), "signature_invalid");
  add("valid digest hex-encoded", withHeader(good, "webhook-signature", `v1,${base64ToHex(sig)}`), "signature_invalid");
  add("64 KiB signature", withHeader(good, "webhook-signature", `v1,${"A".repeat(64 * 1024)}`), "signature_invalid");
  add(
    "10,000 wrong signatures",
    withHeader(good, "webhook-signature", Array.from({ length: 10_000 }, (_, i) => `v1,${btoa(String(i).padStart(32, "0"))}`).join(" ")),
    "signature_invalid",
  );
  add(
    "svix headers carrying a forged signature",
    {
      "content-type": "application/json",
      "svix-id": id,
      "svix-timestamp": String(now),
      "svix-signature": `v1,${flipOne(sig, rng, "base64")}`,
    },
    "signature_invalid",
  );
  add("webhook-id sent twice", [...pairs(good), ["webhook-id", id]], "signature_invalid");
  add("webhook-timestamp sent twice", [...pairs(good), ["webhook-timestamp", String(now)]], "timestamp_invalid");
  add(
    "1 MiB junk header beside a forged signature",
    { ...withHeader(good, "webhook-signature", `v1,${flipOne(sig, rng, "base64")}`), "x-junk": "j".repeat(1024 * 1024) },
    "signature_invalid",
  );
  add(
    "500 extra headers, unsigned",
    { "content-type": "application/json", ...Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`x-extra-${i}`, `v${i}`])) },
    "signature_missing",
  );
  for (const s of share(HOSTILE_STRINGS, k + 1, 8)) {
    add(
      `hostile webhook-id ${JSON.stringify(s.slice(0, 20))}, signed for another id`,
      withHeader(good, "webhook-id", asHeaderValue(s)),
      "signature_invalid",
    );
  }
  for (const s of share(HOSTILE_STRINGS, k + 5, 8)) {
    add(
      `hostile webhook-signature ${JSON.stringify(s.slice(0, 20))}`,
      withHeader(good, "webhook-signature", asHeaderValue(s)),
      "signature_invalid",
    );
  }
  return out;
}
