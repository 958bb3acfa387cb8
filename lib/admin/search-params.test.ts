import { describe, expect, it } from "vitest";
import { z } from "zod";
import { choiceParam, pageParam, parseSearchParams, textParam, toPage } from "./search-params";

const schema = z.object({ q: textParam, state: choiceParam({ A: "A", B: "B" }), page: pageParam });

describe("parseSearchParams", () => {
  it("reads well-formed params", () => {
    expect(parseSearchParams(schema, { q: " acme ", state: "B", page: "3" })).toEqual({
      q: "acme",
      state: "B",
      page: 3,
    });
  });

  it("falls back to defaults for bad values instead of throwing", () => {
    expect(parseSearchParams(schema, { q: "x".repeat(201), state: "C", page: "-2" })).toEqual({
      q: undefined,
      state: undefined,
      page: 1,
    });
    expect(parseSearchParams(schema, { q: "", page: "abc" })).toEqual({ q: undefined, state: undefined, page: 1 });
  });

  it("takes the first of a repeated param", () => {
    expect(parseSearchParams(schema, { state: ["A", "B"], page: ["2", "5"] })).toMatchObject({ state: "A", page: 2 });
  });
});

describe("toPage", () => {
  it("counts pages of 25, and one page for no rows", () => {
    expect(toPage([], 0, 1).pageCount).toBe(1);
    expect(toPage([], 25, 1).pageCount).toBe(1);
    expect(toPage([], 26, 2).pageCount).toBe(2);
  });
});
