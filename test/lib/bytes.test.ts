import { describe, expect, it } from "vitest";
import { fromBase64, toBase64, toBase64Url, utf8 } from "../../src/lib/bytes";
import { signedContent } from "../../src/verify/signed-content";

describe("base64 signatures", () => {
  const bytes = new Uint8Array([251, 255, 191, 0, 62, 63]);

  it("decode from standard, URL-safe and unpadded text alike", () => {
    expect(toBase64(bytes)).toBe("+/+/AD4/");
    expect(fromBase64("+/+/AD4/")).toEqual(bytes);
    expect(fromBase64("-_-_AD4_")).toEqual(bytes);
    expect(fromBase64("+/+/AA==")).toEqual(bytes.subarray(0, 4));
    expect(fromBase64("-_-_AA")).toEqual(bytes.subarray(0, 4));
  });

  it("encode URL-safe without padding, and decode back", () => {
    expect(toBase64Url(bytes)).toBe("-_-_AD4_");
    expect(toBase64Url(bytes.subarray(0, 4))).toBe("-_-_AA");
    expect(fromBase64(toBase64Url(bytes.subarray(0, 5)))).toEqual(bytes.subarray(0, 5));
  });

  it("are refused when the text is not base64", () => {
    expect(fromBase64("a")).toBeNull();
    expect(fromBase64("no spaces!")).toBeNull();
  });
});

describe("the signed content of a delivery", () => {
  const body = new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]); // not UTF-8: must be signed as received

  it("is the id and timestamp as UTF-8 around the body's own bytes", () => {
    const content = signedContent("{id}.{timestamp}.{body}", { body, id: "msg_é€𝄞", timestamp: "1700000000" });
    expect(content).toEqual(new Uint8Array([...utf8("msg_é€𝄞.1700000000."), ...body]));
  });

  it("puts text after the body and the body's base64 where the template asks", () => {
    expect(signedContent("{body}|{id}", { body, id: "ü" })).toEqual(new Uint8Array([...body, ...utf8("|ü")]));
    expect(signedContent("{id}|{body_base64}", { body, id: "7" })).toEqual(utf8(`7|${toBase64(body)}`));
  });

  it("is the body itself for the plain template, and nothing when a part is missing", () => {
    expect(signedContent("{body}", { body })).toBe(body);
    expect(signedContent("{id}.{body}", { body })).toBeNull();
  });
});
