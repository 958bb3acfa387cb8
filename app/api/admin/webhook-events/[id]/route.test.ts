import { beforeEach, describe, expect, it } from "vitest";
import { createUser, resetDatabase, testDb } from "@/test/db";
import { importRouteWith, signedInAs } from "@/test/route-harness";

const loadRoute = () => importRouteWith(() => import("./route"), {});
const get = async (id: string) =>
  (await loadRoute()).GET(new Request(`http://localhost/api/admin/webhook-events/${id}`), {
    params: Promise.resolve({ id }),
  });

beforeEach(async () => {
  await resetDatabase();
  signedInAs.mockReset();
});

async function signInAs(role: "CLIENT" | "ADMIN") {
  const user = await createUser(`${role.toLowerCase()}@example.com`, role);
  signedInAs.mockResolvedValue({ id: user.id, email: user.email, name: null, role });
}

async function storedEvent() {
  const event = await testDb().webhookEvent.create({
    data: {
      dedupeKey: "d1",
      type: "channel_running",
      channelHubId: "ch-1",
      payload: { channel_id: "ch-1", api_key: "secret-key-0123456789", config: { password: "hunter2" } },
    },
  });
  return event.id;
}

describe("GET /api/admin/webhook-events/:id", () => {
  it("answers an admin with the event, its payload's secrets masked", async () => {
    await signInAs("ADMIN");
    const id = await storedEvent();
    const response = await get(id);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = (await response.json()) as { event: Record<string, unknown> };
    expect(body.event).toMatchObject({
      id,
      type: "channel_running",
      state: "PENDING",
      payload: { channel_id: "ch-1", api_key: "••••6789", config: { password: "••••" } },
    });
    expect(JSON.stringify(body)).not.toContain("secret-key");
  });

  it("answers 404 JSON for an unknown id", async () => {
    await signInAs("ADMIN");
    const response = await get("00000000-0000-0000-0000-000000000000");
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: "not_found", message: expect.any(String) } });
  });

  it.each([
    ["a client user", () => signInAs("CLIENT")],
    ["a signed-out request", async () => signedInAs.mockResolvedValue(null)],
  ])("answers %s with the same 404, not the event", async (_who, signIn) => {
    await signIn();
    const id = await storedEvent();
    const response = await get(id);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: "not_found", message: "Not found." } });
  });
});
