import { describe, expect, it } from "vitest";
import { api, control, onboard, PARTNER_ID, startSandboxPerFile } from "./helpers";

const sandbox = startSandboxPerFile();

async function runningChannel(): Promise<string> {
  const { channels } = await onboard(sandbox(), { email: "faults@example.com" });
  const channelId = channels[0]!;
  await control(sandbox(), "POST", `/channels/${channelId}/status`, { status: "running", emit: false });
  return channelId;
}

const keysPath = (channelId: string): string => `/partners/${PARTNER_ID}/channels/${channelId}/api_keys`;

async function creations(channelId: string): Promise<number> {
  const state = await control<{ apiKeyCreations: Record<string, number> }>(sandbox(), "GET", "/state");
  return state.json.apiKeyCreations[channelId] ?? 0;
}

/** The error fetch rejects with, or null when an answer (any status) came back. */
async function connectionError(request: Promise<Response>): Promise<string | null> {
  try {
    await request;
    return null;
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : null;
    return cause ? `${cause.name}: ${cause.message}` : String(error);
  }
}

describe("Partner API connection resets", () => {
  it("cuts the connection before the handler: no answer, and no key is created", async () => {
    const channelId = await runningChannel();
    await control(sandbox(), "POST", "/faults/api", { kind: "reset", pathContains: "/api_keys" });
    expect(await connectionError(api(sandbox(), keysPath(channelId), { method: "POST" }))).toMatch(
      /socket|closed|reset/i,
    );
    expect(await creations(channelId)).toBe(0);
    // The fault was used up and the server still answers on fresh connections.
    expect((await api(sandbox(), keysPath(channelId), { method: "POST" })).status).toBe(201);
    expect(await creations(channelId)).toBe(1);
  });

  it("cuts the connection after the handler: no answer, but the key exists and is listed", async () => {
    const channelId = await runningChannel();
    await control(sandbox(), "POST", "/faults/api", { kind: "reset", phase: "after", pathContains: "/api_keys" });
    expect(await connectionError(api(sandbox(), keysPath(channelId), { method: "POST" }))).toMatch(
      /socket|closed|reset/i,
    );
    expect(await creations(channelId)).toBe(1);
    const listed = (await (await api(sandbox(), keysPath(channelId))).json()) as { api_keys: unknown[] };
    expect(listed.api_keys).toHaveLength(1);
  });
});

describe("Partner API faults by method", () => {
  it("hits only the named method, so a creation's fault leaves the read-back on the same path alone", async () => {
    const channelId = await runningChannel();
    await control(sandbox(), "POST", "/faults/api", { kind: "500", method: "POST", pathContains: "/api_keys" });
    expect((await api(sandbox(), keysPath(channelId))).status).toBe(200);
    const armed = await control<{ faults: { api: { method: string | null; remaining: number }[] } }>(
      sandbox(),
      "GET",
      "/state",
    );
    expect(armed.json.faults.api).toEqual([expect.objectContaining({ method: "POST", remaining: 1 })]);
    expect((await api(sandbox(), keysPath(channelId), { method: "POST" })).status).toBe(500);
    expect(await creations(channelId)).toBe(0);
  });

  it("refuses a method it does not know", async () => {
    const answer = await control(sandbox(), "POST", "/faults/api", { kind: "reset", method: "DELETE" });
    expect(answer.status).toBe(400);
  });
});
