import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { Prisma } from "@/lib/generated/prisma/client";
import { HubApiError } from "@/lib/hub/http";
import { AppError, readJson, toErrorResponse } from "./errors";
import { log } from "@/lib/observability/log";

async function read(response: Response) {
  return {
    status: response.status,
    body: (await response.json()) as { error: { code: string; message: string } },
    headers: response.headers,
  };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("toErrorResponse", () => {
  it("answers 400 naming the invalid fields", async () => {
    const error = z.object({ client: z.string() }).safeParse({ client: 1 }).error;
    const { status, body } = await read(toErrorResponse(error));
    expect(status).toBe(400);
    expect(body.error.code).toBe("invalid_request");
    expect(body.error.message).toContain("client");
  });

  it("keeps an AppError's status, code and headers", async () => {
    const { status, body, headers } = await read(
      toErrorResponse(new AppError("rate_limited", 429, "Slow down.", { "Retry-After": "7" })),
    );
    expect({ status, code: body.error.code, retryAfter: headers.get("Retry-After") }).toEqual({
      status: 429,
      code: "rate_limited",
      retryAfter: "7",
    });
    expect(headers.get("Cache-Control")).toBe("no-store");
  });

  it("tells a Partner API outage from a refusal, without the Hub's details", async () => {
    vi.spyOn(log, "error").mockImplementation(() => undefined);
    const outage = await read(
      toErrorResponse(new HubApiError("Partner API GET /x answered 503: upstream secret detail", 503, true)),
    );
    const refusal = await read(
      toErrorResponse(new HubApiError("Partner API GET /x answered 401: bad key", 401, false)),
    );
    expect([outage.status, outage.body.error.code]).toEqual([502, "hub_unavailable"]);
    expect([refusal.status, refusal.body.error.code]).toEqual([502, "hub_refused"]);
    expect(JSON.stringify([outage.body, refusal.body])).not.toMatch(/secret detail|bad key/);
  });

  it("answers 503 with Retry-After when the database is too busy to take the request", async () => {
    vi.spyOn(log, "error").mockImplementation(() => undefined);
    const timeout = new Prisma.PrismaClientKnownRequestError("Transaction already closed", {
      code: "P2028",
      clientVersion: "test",
    });
    const { status, body, headers } = await read(toErrorResponse(timeout));
    expect([status, body.error.code, headers.get("Retry-After")]).toEqual([503, "busy", "1"]);
  });

  it("hides anything else behind a 500 whose details stay in the log", async () => {
    const logged = vi.spyOn(log, "error").mockImplementation(() => undefined);
    const { status, body } = await read(toErrorResponse(new Error("connection string postgres://user:pw@db")));
    expect([status, body.error.code]).toEqual([500, "internal_error"]);
    expect(JSON.stringify(body)).not.toContain("postgres://");
    expect(logged).toHaveBeenCalled();
  });
});

describe("readJson", () => {
  it("refuses a body that is not JSON with a 400 AppError", async () => {
    const error = await readJson(new Request("http://localhost/", { method: "POST", body: "{" })).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(400);
  });
});
