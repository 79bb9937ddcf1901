/**
 * One Durable Object per simulated vendor (reached by name): its records, settings, seeded
 * generator, counters and webhook outbox. API requests arrive through `handle`; the control
 * API calls the typed methods below.
 */
import { DurableObject } from "cloudflare:workers";
import type { VendorCtx, VendorName } from "../core/context";
import { Counters } from "../core/counters";
import type { CounterValues, RequestLogStore } from "../core/counters";
import { Outbox } from "../core/outbox";
import type { OutboxEntry } from "../core/outbox";
import { serve } from "../core/pipeline";
import { SlidingLimiter } from "../core/rate-limit";
import { mixSeed, Rng } from "../lib/prng";
import { seedBackfill, type SeedSizes } from "../seed/backfill";
import { VENDORS } from "../vendors";
import { deliverDue } from "./deliver";
import { applySettingsPatch, DEFAULT_SETTINGS, SettingsSchema, startingSettings } from "./settings";
import type { Settings, SettingsUpdate } from "./settings";
import { sqlRequestLog } from "./request-log";
import { Store } from "./store";

const LOCAL_ORIGIN = "http://127.0.0.1:8788";

export class VendorState extends DurableObject<SandboxEnv> {
  private readonly store: Store;
  private vendor: VendorName | null = null;
  private outbox: Outbox | null = null;
  private settings: Settings = DEFAULT_SETTINGS;
  private readonly rng = new Rng(0);
  private readonly limiter: SlidingLimiter;
  private readonly requestsKept: RequestLogStore;
  private counters: Counters;

  constructor(ctx: DurableObjectState, env: SandboxEnv) {
    super(ctx, env);
    const store = new Store(ctx.storage.sql);
    this.store = store;
    // What a vendor remembers across the object's eviction: the calls in its rate windows and its request log.
    this.limiter = new SlidingLimiter({
      load: (key) => store.getMeta<number[]>(`limiter:${key}`),
      save: (key, times) => store.setMeta(`limiter:${key}`, times),
    });
    this.requestsKept = sqlRequestLog(ctx.storage.sql);
    this.counters = new Counters(undefined, this.requestsKept);
  }

  /** Serves one request to the vendor's API (or emitter). */
  async handle(vendor: VendorName, request: Request): Promise<Response> {
    await this.boot(vendor);
    try {
      return await serve(this.context(new URL(request.url).origin), VENDORS[vendor], request);
    } finally {
      this.save();
      await this.scheduleDeliveries();
    }
  }

  /** Forgets everything and recreates the vendor's starting data from `seed`. */
  async reset(vendor: VendorName, seed: number): Promise<void> {
    this.vendor = vendor;
    this.outbox = new Outbox(this.ctx.storage.sql, vendor);
    this.store.clear();
    this.outbox.clear();
    this.limiter.clear();
    this.requestsKept.clear();
    this.counters = new Counters(undefined, this.requestsKept);
    this.settings = startingSettings(vendor, (this.env as unknown as Record<string, unknown>).SANDBOX_VARIANT);
    this.rng.state = mixSeed(seed, vendor);
    this.store.setMeta("vendor", vendor);
    this.store.setMeta("seed", seed);
    this.store.setMeta("settings", this.settings);
    VENDORS[vendor].seed(this.context(LOCAL_ORIGIN));
    this.save();
    await this.ctx.storage.deleteAlarm();
  }

  /**
   * Adds this vendor's share of a seeded brokerage (see seed/backfill.ts): the generator is
   * deterministic, so every vendor's object runs it and keeps only its own records.
   */
  async seedBackfill(vendor: VendorName, seed: number, sizes: SeedSizes, now: number): Promise<number> {
    await this.boot(vendor);
    if (vendor !== "followupboss" && vendor !== "dotloop" && vendor !== "quickbooks") return 0;
    const out = seedBackfill(seed, sizes, now);
    const records = out.records[vendor];
    for (const r of records) this.store.put(r.kind, r.id, r.data, r.index);
    for (const [key, value] of Object.entries(out.sequences[vendor])) {
      if ((this.store.getMeta<number>(key) ?? 0) < value) this.store.setMeta(key, value);
    }
    return records.length;
  }

  /** The requests this vendor served since its last reset (method, path, status), oldest first. */
  async requestLog(vendor: VendorName): Promise<ReturnType<Counters["requests"]>> {
    await this.boot(vendor);
    return this.counters.requests();
  }

  /** Every record, grouped by kind. */
  async records(vendor: VendorName): Promise<Record<string, unknown[]>> {
    await this.boot(vendor);
    return Object.fromEntries(this.store.kinds().map((k) => [k, this.store.all<unknown>(k)]));
  }

  async counterSnapshot(vendor: VendorName): Promise<ReturnType<Counters["snapshot"]>> {
    await this.boot(vendor);
    return this.counters.snapshot();
  }

  async getSettings(vendor: VendorName): Promise<Settings> {
    await this.boot(vendor);
    return this.settings;
  }

  async putSettings(vendor: VendorName, patch: unknown): Promise<SettingsUpdate> {
    await this.boot(vendor);
    const r = applySettingsPatch(this.settings, patch);
    if (r.ok) {
      this.settings = r.settings;
      this.store.setMeta("settings", r.settings);
    }
    return r;
  }

  /** Moves this vendor's clock forward (token expiry, rate windows) without waiting. */
  async advanceClock(vendor: VendorName, ms: number): Promise<number> {
    const r = await this.putSettings(vendor, { clockOffsetMs: this.settings.clockOffsetMs + ms });
    return r.ok ? r.settings.clockOffsetMs : this.settings.clockOffsetMs;
  }

  async listOutbox(vendor: VendorName, source?: string): Promise<OutboxEntry[]> {
    await this.boot(vendor);
    return this.requireOutbox().pending(source);
  }

  async drainOutbox(vendor: VendorName, source?: string): Promise<OutboxEntry[]> {
    await this.boot(vendor);
    return this.requireOutbox().drain(source);
  }

  /** HTTP delivery mode: POSTs what is due and re-arms for the next retry. */
  override async alarm(): Promise<void> {
    const vendor = this.store.getMeta<VendorName>("vendor");
    if (vendor === undefined) return;
    await this.boot(vendor);
    await deliverDue({
      outbox: this.requireOutbox(),
      hubUrl: this.env.HUB_URL,
      settings: this.settings,
      counters: this.counters,
      onGone: (ref) => VENDORS[vendor].onGone?.(this.context(LOCAL_ORIGIN), ref),
    });
    this.save();
    await this.scheduleDeliveries();
  }

  private async boot(vendor: VendorName): Promise<void> {
    if (this.vendor === vendor) return;
    if (this.store.getMeta<string>("vendor") !== vendor) {
      // First touch since the object was created: seed it like a reset would.
      await this.reset(vendor, Number(this.env.SANDBOX_SEED) || 42);
      return;
    }
    this.vendor = vendor;
    this.outbox = new Outbox(this.ctx.storage.sql, vendor);
    this.settings = SettingsSchema.parse(this.store.getMeta<unknown>("settings") ?? DEFAULT_SETTINGS);
    this.rng.state = this.store.getMeta<number>("rng") ?? 0;
    this.counters = new Counters(this.store.getMeta<Partial<CounterValues>>("counters"), this.requestsKept);
  }

  private context(origin: string): VendorCtx {
    const vendor = this.vendor;
    if (vendor === null) throw new Error("vendor state used before boot");
    const settings = this.settings;
    return {
      vendor,
      env: this.env,
      store: this.store,
      settings,
      rng: this.rng,
      limiter: this.limiter,
      counters: this.counters,
      origin,
      now: () => Date.now() + settings.clockOffsetMs,
      emit: (input) =>
        this.requireOutbox().queue(input, {
          settings,
          rng: this.rng,
          counters: this.counters,
          seq: () => this.store.seq("delivery"),
        }),
    };
  }

  private requireOutbox(): Outbox {
    if (this.outbox === null) throw new Error("outbox used before boot");
    return this.outbox;
  }

  private save(): void {
    this.store.setMeta("rng", this.rng.state);
    this.store.setMeta("counters", this.counters.values);
  }

  private async scheduleDeliveries(): Promise<void> {
    if (!/^https?:\/\//.test(this.env.HUB_URL) || this.outbox === null) return;
    const next = this.outbox.nextDue();
    if (next === null) return;
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > next) await this.ctx.storage.setAlarm(next);
  }
}
