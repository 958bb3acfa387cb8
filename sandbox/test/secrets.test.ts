import { describe, expect, it } from "vitest";
import { secretsEqual } from "../secrets";

describe("secretsEqual", () => {
  it("is true only for identical strings, whatever their lengths", () => {
    expect(secretsEqual("partner-api-key", "partner-api-key")).toBe(true);
    expect(secretsEqual("partner-api-key", "partner-api-kez")).toBe(false);
    expect(secretsEqual("partner-api-key", "partner-api-key-longer")).toBe(false);
    expect(secretsEqual("", "partner-api-key")).toBe(false);
    expect(secretsEqual("", "")).toBe(true);
  });
});
