import { describe, expect, it } from "vitest";
import { readCapped } from "../../src/routes/hooks/read-body";

const post = (body: BodyInit, headers: Record<string, string> = {}) =>
  new Request("http://hub.test/hooks/idx", { method: "POST", body, headers });

describe("reading a delivery's body up to the cap", () => {
  it("returns the exact bytes of a body within the cap, with or without a declared length", async () => {
    const text = JSON.stringify({ type: "lead.created", data: { name: "Ana Ruiz" } });
    const bytes = new TextEncoder().encode(text);
    const streamed = new ReadableStream({
      start(c) {
        c.enqueue(bytes);
        c.close();
      },
    });
    for (const req of [post(text), post(streamed)]) {
      const read = await readCapped(req, 1024);
      expect(read).toBeInstanceOf(Uint8Array);
      expect(new TextDecoder().decode(read as Uint8Array)).toBe(text);
    }
    expect(await readCapped(new Request("http://hub.test/", { method: "POST" }), 1024)).toEqual(new Uint8Array(0));
  });

  it("refuses a body over the cap whatever length it declares", async () => {
    const big = "a".repeat(4096);
    const streamed = () =>
      new ReadableStream({
        start(c) {
          c.enqueue(new TextEncoder().encode(big));
          c.close();
        },
      });
    for (const req of [post(big), post(big, { "content-length": "10" }), post(streamed()), post(streamed(), { "content-length": "10" })]) {
      expect(await readCapped(req, 1024)).toBe("too_large");
    }
  });
});
