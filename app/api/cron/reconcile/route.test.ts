import { beforeEach, describe, expect, it } from "vitest";
import { localDefaults } from "@/lib/config/local-defaults";
import { resetDatabase } from "@/test/db";
import { importRouteWith } from "@/test/route-harness";

const loadRoute = () => importRouteWith(() => import("./route"), {});
const call = async (authorization?: string) => {
  const { GET } = await loadRoute();
  return GET(new Request("http://localhost/api/cron/reconcile", { headers: authorization ? { authorization } : {} }));
};

beforeEach(resetDatabase);

describe("GET /api/cron/reconcile", () => {
  it("refuses a request without the cron secret with 401 JSON", async () => {
    for (const header of [undefined, "Bearer wrong-secret", localDefaults.CRON_SECRET]) {
      const response = await call(header);
      expect(response.status).toBe(401);
      expect((await response.json()).error.code).toBe("unauthorized");
    }
  });

  it("runs with the secret and reports what it did", async () => {
    const response = await call(`Bearer ${localDefaults.CRON_SECRET}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      releasedWorkers: 0,
      supersededJobsRemoved: 0,
      checked: 0,
      changed: 0,
      keysQueued: 0,
      retriesQueued: 0,
      webhooksQueued: 0,
      eventsReleased: 0,
    });
  });
});
