import type * as z from "../../lib/zod";
import { ok, permanent, type Result } from "../../lib/result";
import { vendorRequest, type Connection, type VendorRequest } from "../shared/transport";
import {
  DotloopDetails,
  DotloopLoop,
  DotloopParticipant,
  DotloopProfile,
  many,
  one,
  type LoopItBody,
  type ParticipantInput,
} from "./schemas";
import { referenceTag } from "./to-vendor";

/** The most a list call may ask for (Dotloop documents 50 per batch). */
export const MAX_BATCH_SIZE = 50;

function parse<T>(schema: z.ZodMiniType<T>, data: unknown, what: string): Result<T> {
  const r = schema.safeParse(data);
  return r.success
    ? ok(r.data)
    : permanent("vendor_unexpected_response", `${what}: ${r.error.issues[0]?.message ?? "invalid"}`, { vendor: "dotloop" });
}

const seg = (id: string) => encodeURIComponent(id);
const loopPath = (profileId: string, loopId: string) => `/profile/${seg(profileId)}/loop/${seg(loopId)}`;

export interface LoopPage {
  loops: DotloopLoop[];
  total: number | null;
  /** The next batch number, or null when this batch was the last (a short batch). */
  nextBatch: number | null;
}

/** A typed Dotloop Public API v2 client over one connection (one agent's or the brokerage's grant). */
export class DotloopClient {
  constructor(private readonly conn: Connection) {}

  private async call<T>(req: VendorRequest, schema: z.ZodMiniType<T>, what: string): Promise<Result<T>> {
    const r = await vendorRequest<unknown>(this.conn, req);
    return r.ok ? parse(schema, r.value.data, what) : r;
  }

  /** `GET /profile`: the profiles the grant can act in; loops live in INDIVIDUAL profiles. */
  async getProfiles(): Promise<Result<DotloopProfile[]>> {
    const r = await this.call({ method: "GET", path: "/profile" }, many(DotloopProfile), "GET /profile");
    return r.ok ? ok(r.value.data) : r;
  }

  /** `POST /loop-it?profile_id=`: creates loop, property and participants in one call. */
  async loopIt(profileId: string, body: LoopItBody): Promise<Result<DotloopLoop>> {
    const r = await this.call(
      { method: "POST", path: "/loop-it", query: { profile_id: profileId }, json: body },
      one(DotloopLoop),
      "POST /loop-it",
    );
    return r.ok ? ok(r.value.data) : r;
  }

  async getLoop(profileId: string, loopId: string): Promise<Result<DotloopLoop>> {
    const r = await this.call({ method: "GET", path: loopPath(profileId, loopId) }, one(DotloopLoop), "GET loop");
    return r.ok ? ok(r.value.data) : r;
  }

  async getLoopDetails(profileId: string, loopId: string): Promise<Result<DotloopDetails>> {
    const r = await this.call({ method: "GET", path: `${loopPath(profileId, loopId)}/detail` }, one(DotloopDetails), "GET loop detail");
    return r.ok ? ok(r.value.data) : r;
  }

  /** Merges sections into the loop's details; an empty string clears a field. Returns all details. */
  async updateLoopDetails(
    profileId: string,
    loopId: string,
    details: Record<string, Record<string, string>>,
  ): Promise<Result<DotloopDetails>> {
    const r = await this.call(
      { method: "PATCH", path: `${loopPath(profileId, loopId)}/detail`, json: details },
      one(DotloopDetails),
      "PATCH loop detail",
    );
    return r.ok ? ok(r.value.data) : r;
  }

  async listParticipants(profileId: string, loopId: string): Promise<Result<DotloopParticipant[]>> {
    const r = await this.call(
      { method: "GET", path: `${loopPath(profileId, loopId)}/participant` },
      many(DotloopParticipant),
      "GET participants",
    );
    return r.ok ? ok(r.value.data) : r;
  }

  async updateParticipant(
    profileId: string,
    loopId: string,
    participantId: string,
    patch: Partial<ParticipantInput>,
  ): Promise<Result<DotloopParticipant>> {
    const r = await this.call(
      { method: "PATCH", path: `${loopPath(profileId, loopId)}/participant/${seg(participantId)}`, json: patch },
      one(DotloopParticipant),
      "PATCH participant",
    );
    return r.ok ? ok(r.value.data) : r;
  }

  /**
   * One batch of a profile's loops, for polling: `updatedMin` (ISO) becomes
   * `filter=updated_min=...`; batches count from 1 and hold at most 50.
   */
  async listLoops(
    profileId: string,
    q: { batchNumber?: number; batchSize?: number; updatedMin?: string; sort?: string } = {},
  ): Promise<Result<LoopPage>> {
    const batchNumber = Math.max(1, Math.trunc(q.batchNumber ?? 1));
    const batchSize = Math.min(MAX_BATCH_SIZE, Math.max(1, Math.trunc(q.batchSize ?? MAX_BATCH_SIZE)));
    const r = await this.call(
      {
        method: "GET",
        path: `/profile/${seg(profileId)}/loop`,
        query: {
          batch_number: batchNumber,
          batch_size: batchSize,
          filter: q.updatedMin ? `updated_min=${q.updatedMin}` : undefined,
          sort: q.sort,
        },
      },
      many(DotloopLoop),
      "GET loops",
    );
    if (!r.ok) return r;
    const loops = r.value.data;
    return ok({ loops, total: r.value.meta?.total ?? null, nextBatch: loops.length < batchSize ? null : batchNumber + 1 });
  }

  /**
   * The most recently created loop matching `match`, scanning newest first. Dotloop has no search
   * by name; an interrupted create is minutes old, so the newest `maxBatches` batches suffice.
   */
  private async findLoop(profileId: string, match: (l: DotloopLoop) => boolean, maxBatches: number): Promise<Result<DotloopLoop | null>> {
    let batch: number | null = 1;
    for (let i = 0; batch !== null && i < maxBatches; i++) {
      const page: Result<LoopPage> = await this.listLoops(profileId, { batchNumber: batch, sort: "created:desc" });
      if (!page.ok) return page;
      const found = page.value.loops.find(match);
      if (found) return ok(found);
      batch = page.value.nextBatch;
    }
    return ok(null);
  }

  /**
   * The loop the hub created for `reference` (its canonical deal id), found by the reference tag
   * `loopName` puts in every loop name. Search this before creating: a retry after a crash between
   * Dotloop's answer and the hub's record then finds the first loop instead of making a second.
   */
  async findLoopByReference(profileId: string, reference: string, maxBatches = 10): Promise<Result<DotloopLoop | null>> {
    const tag = `[${await referenceTag(reference)}]`;
    return this.findLoop(profileId, (l) => l.name.includes(tag), maxBatches);
  }

  /** A cheap authenticated call for health checks. */
  async ping(): Promise<Result<true>> {
    const r = await vendorRequest<unknown>(this.conn, { method: "GET", path: "/profile" });
    return r.ok ? ok(true) : r;
  }
}
