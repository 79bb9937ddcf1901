import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { driftStatement } from "../../src/store/drift";
import { proposeStatement } from "../../src/store/merges";
import { apiJson, hub, ORIGIN, tag } from "./helpers";

type Paged<K extends string> = Record<K, Array<Record<string, unknown>>> & { total: number; cursor: string | null };

/** Walks a list's cursors from the first page to the last, as an operator or a script would. */
async function walk<K extends string>(
  path: string,
  key: K,
  limit: number,
): Promise<{ rows: Array<Record<string, unknown>>; totals: number[]; pages: number }> {
  const rows: Array<Record<string, unknown>> = [];
  const totals: number[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const sep = path.includes("?") ? "&" : "?";
    const page: Paged<K> = await apiJson<Paged<K>>(`${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    rows.push(...page[key]);
    totals.push(page.total);
    cursor = page.cursor;
    pages++;
  } while (cursor && pages < 100);
  return { rows, totals, pages };
}

describe("lists longer than one page answer their total and a cursor, and the cursors reach every row once", () => {
  it("schema drift", async () => {
    const source = `pg${tag()}`;
    const at = Date.now() + 86_400_000; // newest of all, so the first pages are these
    // Several rows share each last-seen time, so the order must break ties by the row's id.
    await env.DB.batch(
      Array.from({ length: 130 }, (_, i) =>
        driftStatement(env.DB, { source, field: `f${i}`, kind: "unknown_field", seenAt: at + Math.floor(i / 10) }),
      ),
    );
    const first = await apiJson<Paged<"drift">>("/drift?limit=100");
    expect(first.drift).toHaveLength(100);
    expect(first.total).toBeGreaterThanOrEqual(130);
    expect(first.cursor).toEqual(expect.any(String));
    const { rows, totals } = await walk("/drift", "drift", 40);
    const ours = rows.filter((d) => d.source === source).map((d) => d.field);
    expect(new Set(ours).size).toBe(130);
    expect(ours).toHaveLength(130);
    expect(rows.length).toBe(totals[totals.length - 1]);
  });

  it("merge proposals", async () => {
    const t = tag();
    // Ten proposals share each score, so the order must break ties by the proposal's id.
    await env.DB.batch(
      Array.from({ length: 130 }, (_, i) =>
        proposeStatement(
          env.DB,
          { a: `per_${t}_a${i}`, b: `per_${t}_b${i}`, score: 0.99 - Math.floor(i / 10) / 1000, reasons: ["test"] },
          Date.now(),
        ),
      ),
    );
    const first = await apiJson<Paged<"proposals">>("/merges?status=proposed");
    expect(first.proposals).toHaveLength(100);
    expect(first.total).toBeGreaterThanOrEqual(130);
    const { rows, totals } = await walk("/merges?status=proposed", "proposals", 45);
    const scores = rows.map((p) => p.score as number);
    expect(scores).toEqual([...scores].sort((x, y) => y - x));
    expect(new Set(rows.map((p) => p.id)).size).toBe(rows.length);
    expect(rows.length).toBe(totals[totals.length - 1]);
    expect(rows.length).toBeGreaterThanOrEqual(130);
  });

  it("alerts and their notification log, each with its own cursor", async () => {
    const t = tag();
    const at = Date.now() + 86_400_000;
    await env.DB.batch(
      Array.from({ length: 130 }, (_, i) =>
        env.DB.prepare(
          `INSERT INTO alerts (key, severity, title, state, count, first_at, last_at) VALUES (?1, 'warning', 'paged', 'firing', 1, ?2, ?2)`,
        ).bind(`pg:${t}:${i}`, at + Math.floor(i / 10)),
      ),
    );
    const { rows, totals } = await walk("/alerts", "alerts", 50);
    const ours = rows.filter((a) => String(a.key).startsWith(`pg:${t}:`));
    expect(new Set(ours.map((a) => a.key)).size).toBe(130);
    expect(rows.length).toBe(totals[totals.length - 1]);
    await env.DB.batch(
      Array.from({ length: 30 }, (_, i) =>
        env.DB.prepare(`INSERT INTO alert_log (key, kind, at, payload, sent_at) VALUES (?1, 'fired', ?2, '{}', ?2)`).bind(
          `pg:${t}:${i}`,
          at,
        ),
      ),
    );
    const log: number[] = [];
    let logCursor: string | null = null;
    let logTotal = 0;
    do {
      const page: { log: Array<{ id: number }>; logTotal: number; logCursor: string | null } = await apiJson(
        `/alerts?limit=7${logCursor ? `&logCursor=${encodeURIComponent(logCursor)}` : ""}`,
      );
      log.push(...page.log.map((e) => e.id));
      logTotal = page.logTotal;
      logCursor = page.logCursor;
    } while (logCursor && log.length < 10_000);
    expect(log).toHaveLength(logTotal);
    expect(new Set(log).size).toBe(logTotal);
    expect(logTotal).toBeGreaterThanOrEqual(30);
  });

  it("the dashboard's drift page says how many there are and links the next page", async () => {
    const login = await hub.request(
      `${ORIGIN}/ops/login`,
      {
        method: "POST",
        headers: { origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ token: env.OPS_TOKEN }),
      },
      env,
    );
    const cookie = login.headers.get("set-cookie")?.split(";")[0] ?? "";
    const source = `pd${tag()}`;
    await env.DB.batch(
      Array.from({ length: 230 }, (_, i) =>
        driftStatement(env.DB, { source, field: `g${i}`, kind: "unknown_field", seenAt: Date.now() + 2 * 86_400_000 }),
      ),
    );
    const html = await (await hub.request(`${ORIGIN}/ops/drift`, { headers: { cookie } }, env)).text();
    expect(html).toMatch(/\d+ drifted fields; 200 shown here/);
    const next = /href="(\/ops\/drift\?cursor=[^"]+)" rel="next"/.exec(html)?.[1];
    expect(next).toBeDefined();
    const second = await (await hub.request(`${ORIGIN}${(next ?? "").replace(/&amp;/g, "&")}`, { headers: { cookie } }, env)).text();
    expect(second).toContain(`<code>g29</code>`);
  });
});
