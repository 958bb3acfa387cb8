import { describe, expect, it } from "vitest";
import { AppError } from "./errors";
import { readSameOriginJson } from "./read-same-origin-json";

const APP_URL = "http://localhost:3000";
const request = (headers: Record<string, string>, body = '{"a":1}') =>
  new Request(`${APP_URL}/api/x`, { method: "POST", headers, body });
const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => error as AppError,
  );

describe("readSameOriginJson", () => {
  it("parses a JSON body sent from the portal's origin", async () => {
    const headers = { origin: APP_URL, "content-type": "application/json; charset=utf-8" };
    await expect(readSameOriginJson(request(headers), APP_URL)).resolves.toEqual({ a: 1 });
  });

  it.each([
    ["another origin", { origin: "https://evil.example", "content-type": "application/json" }],
    ["no origin", { "content-type": "application/json" }],
    ["the null origin of a sandboxed frame", { origin: "null", "content-type": "application/json" }],
    ["the same host on another port", { origin: "http://localhost:3001", "content-type": "application/json" }],
  ])("refuses %s with 403", async (_label, headers) => {
    expect(await refusal(readSameOriginJson(request(headers), APP_URL))).toMatchObject({
      status: 403,
      code: "cross_origin",
    });
  });

  it.each(["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonx"])(
    "refuses %s with 415",
    async (type) => {
      expect(
        await refusal(readSameOriginJson(request({ origin: APP_URL, "content-type": type }), APP_URL)),
      ).toMatchObject({ status: 415, code: "unsupported_media_type" });
    },
  );

  it("refuses a body that is not JSON with 400", async () => {
    const headers = { origin: APP_URL, "content-type": "application/json" };
    expect(await refusal(readSameOriginJson(request(headers, "{"), APP_URL))).toMatchObject({ status: 400 });
  });
});
