/**
 * Follow Up Boss, Dotloop, QuickBooks and DocuSign deliveries that fail verification. These
 * schemes carry one signature header (DocuSign: one per key, numbered) over the body; Dotloop
 * adds a timestamp header that its default reading does not sign.
 */
import { fixedSample } from "./samples";
import type { ErrorCode } from "../../../src/lib/errors";
import type { SchemeConfig } from "../../../src/verify";
import { asHeaderValue, HOSTILE_STRINGS } from "./hostile";
import { base64ToHex, flipOne, headerOf, hexToBase64, withHeader } from "./mutate";
import { share, type Rng } from "./rng";
import { nowSeconds, pairs, secretOf, signedHeaders, without } from "./signing";
import { problem, type BadCase } from "./types";

type Vendor = "followupboss" | "dotloop" | "quickbooks" | "docusign";
type Headers = Record<string, string>;

const HEADER: Record<Vendor, string> = {
  followupboss: "FUB-Signature",
  dotloop: "X-DOTLOOP-SIGNATURE",
  quickbooks: "intuit-signature",
  docusign: "X-DocuSign-Signature-1",
};
const ENCODING: Record<Vendor, "hex" | "base64"> = { followupboss: "hex", dotloop: "hex", quickbooks: "base64", docusign: "base64" };

/** The same scheme with another hash: right header and encoding, wrong digest length. */
const WRONG_ALGORITHM: Record<Vendor, SchemeConfig> = {
  followupboss: { kind: "hmac", header: "FUB-Signature", algorithm: "SHA-1", encoding: "hex", signedContent: "{body_base64}" },
  dotloop: { kind: "hmac", header: "X-DOTLOOP-SIGNATURE", algorithm: "SHA-256", encoding: "hex" },
  quickbooks: { kind: "hmac", header: "intuit-signature", algorithm: "SHA-512", encoding: "base64" },
  docusign: { kind: "hmac", header: "X-DocuSign-Signature-{n}", algorithm: "SHA-1", encoding: "base64" },
};

/** Every bad delivery for one of the vendor-signed sources. */
export async function vendorSignatureCases(source: Vendor, rng: Rng): Promise<BadCase[]> {
  const out: BadCase[] = [];
  const body = fixedSample(source, `bad-sig-${source}`);
  const good = await signedHeaders(source, body);
  const name = HEADER[source];
  const enc = ENCODING[source];
  const sig = headerOf(good, name);
  const add = (what: string, headers: Headers | ReadonlyArray<readonly [string, string]>, code: ErrorCode, sent: string = body) =>
    out.push({
      name: `signature/${source}: ${what}`,
      route: "/hooks/:source",
      method: "POST",
      path: `/hooks/${source}`,
      headers: Array.isArray(headers) ? headers : pairs(headers as Headers),
      body: sent,
      expect: problem(code),
    });
  const withSig = (value: string) => withHeader(good, name, value);

  add(`${name} missing`, without(good, name), "signature_missing");
  add(`${name} empty`, withSig(""), "signature_invalid");
  add("one character of the signature changed", withSig(flipOne(sig, rng, enc)), "signature_invalid");
  add("signature truncated", withSig(sig.slice(0, enc === "hex" ? -2 : -4)), "signature_invalid");
  add("signature with one character too many", withSig(`${sig}0`), "signature_invalid");
  add(`signature outside the ${enc} alphabet`, withSig(`${sig.slice(0, -2)}!?`), "signature_invalid");
  add("right digest in the other encoding", withSig(enc === "hex" ? hexToBase64(sig) : base64ToHex(sig)), "signature_invalid");
  add("right digest behind a sha256= prefix", withSig(`sha256=${sig}`), "signature_invalid");
  add("digest of another hash function", await signedHeaders(source, body, { scheme: WRONG_ALGORITHM[source] }), "signature_invalid");
  add(
    `signed with ${source === "quickbooks" ? "docusign" : "quickbooks"}'s secret`,
    await signedHeaders(source, body, { secret: secretOf(source === "quickbooks" ? "docusign" : "quickbooks") }),
    "signature_invalid",
  );
  add("signed with an empty-looking secret", await signedHeaders(source, body, { secret: " " }), "signature_invalid");
  add("signature of another body", good, "signature_invalid", body.replace("}", ',"extra":1}'));
  add("body with a trailing newline", good, "signature_invalid", `${body}\n`);
  add("body re-serialised with indentation", good, "signature_invalid", JSON.stringify(JSON.parse(body), null, 2));
  add("signature header sent twice (values combine into a list)", [...pairs(good), [name, sig]], "signature_invalid");
  add("64 KiB signature", withSig("a".repeat(64 * 1024)), "signature_invalid");
  add("unsigned, with 1 MiB junk header", { "content-type": "application/json", "x-junk": "j".repeat(1024 * 1024) }, "signature_missing");
  for (const s of share(HOSTILE_STRINGS, VENDORS.indexOf(source), VENDORS.length))
    add(`hostile signature ${JSON.stringify(s.slice(0, 20))}`, withSig(asHeaderValue(s)), "signature_invalid");

  if (source === "followupboss") {
    add(
      "signed over the raw body (the other reading)",
      await signedHeaders(source, body, { scheme: { kind: "followupboss", message: "raw-body" } }),
      "signature_invalid",
    );
  }
  if (source === "dotloop") await dotloopTimestamps(body, good, rng, add);
  if (source === "docusign") {
    const bad = flipOne(sig, rng, "base64");
    const renumbered = (n: string) => ({ ...without(good, name), [`X-DocuSign-Signature-${n}`]: sig });
    for (const n of ["0", "01", "10000", "-1", "a", ""])
      add(`valid digest under X-DocuSign-Signature-${n}`, renumbered(n), "signature_missing");
    add("X-DocuSign-Signature without a number", { ...without(good, name), "X-DocuSign-Signature": sig }, "signature_missing");
    add(
      "two numbered headers, both wrong",
      { ...withSig(bad), "X-DocuSign-Signature-2": flipOne(sig, rng, "base64") },
      "signature_invalid",
    );
    add(
      "100 numbered headers, all wrong",
      { ...without(good, name), ...Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`X-DocuSign-Signature-${i + 1}`, bad])) },
      "signature_invalid",
    );
  }
  return out;
}

// Dotloop's default reading signs the body alone, so its X-DOTLOOP-TIMESTAMP is not checked (a
// missing, malformed or stale one is accepted; see test/verify). What is refused is a forged
// signature whatever the timestamp, and a signature over the other reading.
async function dotloopTimestamps(
  body: string,
  good: Headers,
  rng: Rng,
  add: (what: string, headers: Headers | ReadonlyArray<readonly [string, string]>, code: ErrorCode) => void,
): Promise<void> {
  const now = nowSeconds();
  add(
    "timestamp an hour old and forged",
    withHeader(
      await signedHeaders("dotloop", body, { timestamp: (now - 3600) * 1000 }),
      "X-DOTLOOP-SIGNATURE",
      flipOne(headerOf(good, "X-DOTLOOP-SIGNATURE"), rng, "hex"),
    ),
    "signature_invalid",
  );
  add(
    "timestamp rewritten and forged",
    withHeader(
      withHeader(good, "X-DOTLOOP-TIMESTAMP", String(now * 1000 + 1)),
      "X-DOTLOOP-SIGNATURE",
      flipOne(headerOf(good, "X-DOTLOOP-SIGNATURE"), rng, "hex"),
    ),
    "signature_invalid",
  );
  add(
    "signed over timestamp.body (the other reading)",
    await signedHeaders("dotloop", body, { scheme: { kind: "dotloop", signed: "timestamp.body" } }),
    "signature_invalid",
  );
}

/** The sources signed by a vendor-specific scheme. */
export const VENDORS: readonly Vendor[] = ["followupboss", "dotloop", "quickbooks", "docusign"];
