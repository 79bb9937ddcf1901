/** The /hooks/:source corpus in slices, built fresh (signatures carry the current time). */
import { arrayForObjectCases, bodyCases } from "./hooks-body";
import { transportCases } from "./hooks-transport";
import { seeded } from "./rng";
import { standardSignatureCases } from "./signature-standard";
import { VENDORS, vendorSignatureCases } from "./signature-vendors";
import { STANDARD_SOURCES } from "./signing";
import type { BadCase } from "./types";

/** The fixed seed of the corpus: equal seeds give equal cases. */
export const CORPUS_SEED = 0x5eed;

/** Requests wrong before the body is read: path, method, content type, size. */
export const TRANSPORT_GROUPS = ["path", "method", "content-type", "size"] as const;

export function buildTransportSlice(): Promise<BadCase[]> {
  return transportCases();
}

/** Transport cases and vendor signature cases: one test file's worth of requests. */
export async function buildTransportAndVendorSlice(): Promise<BadCase[]> {
  return [...(await buildTransportSlice()), ...(await buildVendorSignatureSlice())];
}

/** Standard Webhooks sources with bad signatures or timestamps. */
export async function buildStandardSignatureSlice(seed = CORPUS_SEED): Promise<BadCase[]> {
  const rng = seeded(seed);
  const out: BadCase[] = [];
  for (const s of STANDARD_SOURCES) out.push(...(await standardSignatureCases(s, rng)));
  return out;
}

/** Vendor-signed sources with bad signatures or timestamps. */
export async function buildVendorSignatureSlice(seed = CORPUS_SEED + 1): Promise<BadCase[]> {
  const rng = seeded(seed);
  const out: BadCase[] = [];
  for (const v of VENDORS) out.push(...(await vendorSignatureCases(v, rng)));
  return out;
}

/** Validly signed deliveries with malformed or non-envelope bodies (known-bug cases flagged). */
export async function buildBodySlice(seed = CORPUS_SEED + 2): Promise<BadCase[]> {
  return [...(await bodyCases(seeded(seed))), ...(await arrayForObjectCases())];
}

/** Every malformed /hooks/:source request, slices together (for counting and checks). */
export async function buildHooksCorpus(): Promise<BadCase[]> {
  return [
    ...(await buildTransportSlice()),
    ...(await buildStandardSignatureSlice()),
    ...(await buildVendorSignatureSlice()),
    ...(await buildBodySlice()),
  ];
}
