import { APP_URL, controlApp, runCron } from "./support/app";
import { queryDatabase } from "./support/database";
import { expect, test } from "./support/test";
import { openConnectPopup } from "./support/hub-popup";
import { messagingAtHub, partnerApi, resetSandbox } from "./support/sandbox";
import { SANDBOX_URL, signInWithMagicLink, uniqueEmail } from "./support/sign-in";

type QueueCounts = { jobs: number; locked: number };

/** graphile-worker's jobs as the database holds them: how many rows, how many locked by a worker. */
async function queueCounts(): Promise<QueueCounts> {
  const [counts] = await queryDatabase<QueueCounts>(
    `SELECT count(*)::int AS jobs, count(*) FILTER (WHERE locked_at IS NOT NULL)::int AS locked
     FROM graphile_worker._private_jobs`,
  );
  return counts!;
}

async function armedApiFaults(): Promise<number> {
  const response = await fetch(`${SANDBOX_URL}/__sandbox/state`);
  return ((await response.json()) as { faults: { api: unknown[] } }).faults.api.length;
}

test.beforeEach(resetSandbox);

test("the app SIGKILLed mid-journey and mid key creation: after a restart the cron finishes both numbers, one key each, nothing locked", async ({
  page,
}) => {
  // The lock a killed app leaves is freed after JOB_LOCK_TIMEOUT_SECONDS (20 in scripts/e2e.ts).
  test.setTimeout(180_000);
  // The Hub creates the first key but holds its answer: the app dies with that creation's outcome unknown.
  const armed = await fetch(`${SANDBOX_URL}/__sandbox/faults/api`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      kind: "timeout",
      phase: "after",
      count: 1,
      delayMs: 30_000,
      pathContains: "api_keys",
      method: "POST",
    }),
  });
  expect(armed.ok).toBe(true);

  await signInWithMagicLink(page, uniqueEmail("killed-app"), { callbackUrl: "/onboarding" });
  const popup = await openConnectPopup(page);
  await popup.getByLabel("Client name").fill("Killed Mid Journey Ltd");
  const numbers = popup.getByRole("group", { name: "Phone numbers to connect" }).getByRole("checkbox");
  await numbers.nth(0).check();
  await numbers.nth(1).check();
  const closed = popup.waitForEvent("close");
  await popup.getByRole("button", { name: "Connect numbers" }).click();
  await closed;
  await expect(page.getByText("Your numbers are connected")).toBeVisible();

  // The fault is spent once the key creation is in flight: the app is killed right then.
  await expect.poll(armedApiFaults, { timeout: 30_000, intervals: [100] }).toBe(0);
  const killedAt = Date.now();
  await controlApp("kill");
  const down = await fetch(`${APP_URL}/api/health`).then(
    () => "answered",
    () => "refused",
  );
  expect(down).toBe("refused");
  // What the dead process held stays locked: nobody is left to unlock it.
  const lockedByDeadApp = (await queueCounts()).locked;
  expect(lockedByDeadApp).toBeGreaterThan(0);

  await controlApp("start");
  await page.goto("/channels");
  const items = page.getByRole("list", { name: "Your channels" }).locator(":scope > li");
  await expect(items).toHaveCount(2);

  // Vercel Cron's part: every call reconciles; once the dead lock is older than the timeout it is freed.
  let releasedWorkers = 0;
  let cronRuns = 0;
  await expect
    .poll(
      async () => {
        releasedWorkers += (await runCron()).releasedWorkers;
        cronRuns += 1;
        await page.reload();
        return page.getByTestId("key-state").allInnerTexts();
      },
      { timeout: 120_000, intervals: [3_000] },
    )
    .toEqual([expect.stringMatching(/^stored · ends in \S{4}$/), expect.stringMatching(/^stored · ends in \S{4}$/)]);
  expect(releasedWorkers).toBeGreaterThan(0);
  const keyedAfterSeconds = ((Date.now() - killedAt) / 1000).toFixed(1);

  const channelIds = await items.evaluateAll((elements) =>
    elements.map((element) => element.querySelector("dd.font-mono")?.textContent ?? ""),
  );
  const liveKeys: number[] = [];
  for (const [index, channelId] of channelIds.entries()) {
    // Exactly one live key per number, the one the page shows, and its messaging webhook set with it.
    await expect.poll(async () => (await messagingAtHub(channelId)).webhook?.keyActive, { timeout: 30_000 }).toBe(true);
    const hub = await messagingAtHub(channelId);
    const live = hub.keys.filter((key) => key.revokedAt === null);
    liveKeys.push(live.length);
    expect(live, channelId).toHaveLength(1);
    expect(hub.webhook?.setWithKeyId).toBe(live[0]!.id);
    const listed = (await (await partnerApi(`/channels/${channelId}/api_keys`)).json()) as {
      api_keys: Array<{ id: string; api_key: string }>;
    };
    expect(listed.api_keys.map((key) => key.id)).toEqual([live[0]!.id]);
    await expect(items.nth(index).getByTestId("key-state")).toHaveText(
      `stored · ends in ${listed.api_keys[0]!.api_key.slice(-4)}`,
    );
  }
  // The cron's last run also dropped the job graphile-worker retired when the killed one was queued again.
  await runCron();
  const leftovers = await queueCounts();
  const creations = (await (await fetch(`${SANDBOX_URL}/__sandbox/state`)).json()) as {
    apiKeyCreations: Record<string, number>;
  };
  console.log(
    `PROOF killed app: channels=${channelIds.length}, jobs_locked_by_dead_app=${lockedByDeadApp}, ` +
      `released_workers=${releasedWorkers}, cron_runs=${cronRuns}, ` +
      `hub_key_creations=${Object.values(creations.apiKeyCreations).reduce((sum, n) => sum + n, 0)}, ` +
      `live_keys_per_channel=${liveKeys.join("/")}, jobs_left=${leftovers.jobs}, jobs_locked_after=${leftovers.locked}, ` +
      `keyed_after_kill_s=${keyedAfterSeconds}`,
  );
  expect(leftovers).toEqual({ jobs: 0, locked: 0 });
  // The key whose answer was lost with the app was read back, not created a second time.
  for (const channelId of channelIds) expect(creations.apiKeyCreations[channelId], channelId).toBe(1);
});
