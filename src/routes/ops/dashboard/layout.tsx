import type { Child } from "hono/jsx";
import { OPS_BASE } from "../auth";

/** Small inline stylesheet: the dashboard ships inside the Worker bundle. */
const CSS = `:root{--fg:#1b1f24;--mut:#5b6570;--bd:#d8dee4;--bg:#f6f8fa;--ac:#0b5cad;--ok:#1a7f37;--bad:#c0362c;--warn:#9a6700}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg)}
header{display:flex;flex-wrap:wrap;gap:.2rem .9rem;align-items:center;padding:.5rem 1rem;background:#0d1b2a;color:#fff}
header a{color:#cfe3ff;text-decoration:none;padding:.2rem 0}header a[aria-current]{color:#fff;border-bottom:2px solid #fff}
header form{margin-left:auto}header button{background:none;border:1px solid #4b5d73;color:#cfe3ff}
main{padding:1rem;max-width:1200px;margin:auto}h1{font-size:1.3rem;margin:.2rem 0 1rem}h2{font-size:1.05rem;margin:1.4rem 0 .5rem}
a{color:var(--ac)}.wrap{overflow-x:auto}table{border-collapse:collapse;width:100%;font-size:13px}
th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid var(--bd);vertical-align:top}th{background:var(--bg);font-weight:600}
.n{text-align:right;font-variant-numeric:tabular-nums}.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:.6rem}
.card{border:1px solid var(--bd);border-radius:6px;padding:.6rem .8rem}.card b{display:block;font-size:1.5rem}
.ok{color:var(--ok)}.bad{color:var(--bad)}.warn{color:var(--warn)}.mut{color:var(--mut)}
form.row{display:flex;gap:.4rem;flex-wrap:wrap;align-items:end;margin:0 0 .8rem}form.row label{display:flex;flex-direction:column;font-size:12px;color:var(--mut)}
form.in{display:inline-flex;gap:.3rem;flex-wrap:wrap;margin:0 .2rem .2rem 0}
input,select,button{font:inherit;padding:.3rem .5rem;border:1px solid var(--bd);border-radius:4px;max-width:100%}
button{background:var(--ac);color:#fff;border-color:var(--ac);cursor:pointer}button.sec{background:#fff;color:var(--fg);border-color:var(--bd)}
.notice{padding:.5rem .8rem;border-radius:4px;background:#e6f4ea;border:1px solid #b7dfc2;margin-bottom:1rem}.notice.err{background:#fdecea;border-color:#f3b8b2}
pre{background:var(--bg);padding:.6rem;overflow:auto;font-size:12px;max-height:24rem}
ol.tl{list-style:none;padding:0 0 0 .9rem;border-left:2px solid var(--bd);margin-left:.4rem}ol.tl li{padding:.15rem 0 .5rem;position:relative}
ol.tl li:before{content:"";position:absolute;left:-1.28rem;top:.45rem;width:10px;height:10px;border-radius:50%;background:var(--ok)}
ol.tl li.error:before{background:var(--bad)}ol.tl li.skipped:before{background:var(--mut)}
.bar{background:var(--ac);height:.55rem;border-radius:2px;display:inline-block;vertical-align:middle}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:.6rem}.prop{border:1px solid var(--bd);border-radius:6px;padding:.6rem .8rem;margin-bottom:.8rem}
.tag{font-size:11px;padding:0 .35rem;border-radius:3px;background:var(--bg);border:1px solid var(--bd)}svg text{font-size:11px;fill:var(--fg)}
@media (max-width:640px){main{padding:.6rem}th,td{padding:.3rem}.hide-sm{display:none}.pair{grid-template-columns:1fr}
table.stack thead{display:none}table.stack tr{display:block;border-bottom:1px solid var(--bd);padding:.3rem 0}table.stack td{display:block;border:0;padding:.1rem .3rem;text-align:left}
table.stack td[data-l]:before{content:attr(data-l) ": ";color:var(--mut)}}`;

const NAV = [
  ["", "Overview"],
  ["/records", "Records"],
  ["/dead-letters", "Dead letters"],
  ["/merges", "Merges"],
  ["/roi", "ROI"],
  ["/drift", "Drift"],
  ["/alerts", "Alerts"],
  ["/mapping", "Mapping"],
  ["/doctor", "Doctor"],
  ["/listings", "Listings"],
  ["/backfill", "Backfill"],
] as const;

export type Section = (typeof NAV)[number][0] | "login";

/** The page shell: navigation, an optional notice and the content. */
export function Layout(props: { title: string; section: Section; notice?: { text: string; error: boolean } | null; children?: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · dealwire ops`}</title>
        <style dangerouslySetInnerHTML={{ __html: CSS }} />
      </head>
      <body>
        <header>
          <strong>dealwire ops</strong>
          {props.section === "login"
            ? null
            : NAV.map(([path, label]) => (
                <a href={`${OPS_BASE}${path}`} aria-current={props.section === path ? "page" : undefined}>
                  {label}
                </a>
              ))}
          {props.section === "login" ? null : (
            <form method="post" action={`${OPS_BASE}/logout`}>
              <button type="submit">Log out</button>
            </form>
          )}
        </header>
        <main>
          <h1>{props.title}</h1>
          {props.notice ? (
            <p class={props.notice.error ? "notice err" : "notice"} role="status">
              {props.notice.text}
            </p>
          ) : null}
          {props.children}
        </main>
      </body>
    </html>
  );
}

/** Notices after a form post, by code: a query parameter never carries display text. */
const NOTICES: Record<string, { text: string; error: boolean }> = {
  replayed: { text: "Replayed: the message is back on its queue and will be processed again.", error: false },
  discarded: { text: "Discarded, with your reason kept on the letter.", error: false },
  approved: { text: "Merged: the earlier-created person survives; the CRM contact got a note.", error: false },
  approved_without_note: {
    text: "Merged: the earlier-created person survives, but no note was added to the CRM (see the survivor's timeline).",
    error: true,
  },
  rejected: { text: "Proposal rejected.", error: false },
  resolved: { text: "Resolved; a check that still sees it fires it again.", error: false },
  conflict: { text: "That item was no longer open; nothing changed.", error: true },
  not_found: { text: "That item does not exist.", error: true },
  invalid: { text: "The form was incomplete; nothing changed.", error: true },
  bad_filter: { text: "That filter or page link is not valid; these are the open letters.", error: true },
  queue_unavailable: { text: "The queue did not accept the message; the letter stays open.", error: true },
  failed: { text: "The action failed; nothing changed.", error: true },
  backfill_started: { text: "Backfill started: it reads each vendor a page at a time; reload for progress.", error: false },
  backfill_applied: { text: "Applied: the links and contacts are on the CRM and TMS queues.", error: false },
  backfill_unqueued: { text: "The backfill could not be queued; it is marked failed. Resume it to run it.", error: true },
  backfill_conflict: { text: "Nothing started: a backfill is already running, or this run is not finished.", error: true },
  apply_unqueued: { text: "Not everything could be queued; apply again (what was queued is applied once).", error: true },
  merge_conflict: {
    text: "Not merged: the proposal was decided already, or one of its people was merged into someone else (reject it).",
    error: true,
  },
};

/** The notice for a code from a redirect, or null for an unknown code. */
export function noticeFor(code: string | undefined, subject?: string): { text: string; error: boolean } | null {
  // Own keys only: `?msg=toString` names no notice.
  const n = code && Object.hasOwn(NOTICES, code) ? NOTICES[code] : undefined;
  if (!n) return null;
  return subject ? { ...n, text: `${n.text} (${subject})` } : n;
}
