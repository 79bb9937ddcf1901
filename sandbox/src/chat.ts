/**
 * A chat tool's incoming webhook (Slack's, or any receiver of the hub's alerts). It answers with
 * the status its path names, `POST /chat/webhook/:status`, so tests see what the hub does when
 * the receiver refuses or fails (`503`) and when it takes the alert (`200`). `?refuse=<text>`:
 * a message containing that text is refused alone with a 400, as Slack refuses one payload it
 * cannot post (`invalid_payload`, `no_text`) while taking the next.
 */
import { Hono } from "hono";

export const chat = new Hono<{ Bindings: SandboxEnv }>();

chat.post("/chat/webhook/:status{[2-5][0-9][0-9]}", async (c) => {
  const status = Number(c.req.param("status"));
  const text = await c.req.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    return c.json({ ok: false, error: "invalid_payload" }, 400);
  }
  const refuse = c.req.query("refuse");
  if (refuse && text.includes(refuse)) return c.json({ ok: false, error: "invalid_payload" }, 400);
  const ok = status >= 200 && status < 300;
  const hasText = typeof body === "object" && body !== null && typeof (body as { text?: unknown }).text === "string";
  if (ok && !hasText) return c.json({ ok: false, error: "no_text" }, 400);
  if (status === 204 || status === 205) return new Response(null, { status });
  return new Response(ok ? "ok" : "service unavailable", { status, headers: { "content-type": "text/plain" } });
});
