import { APP_URL, runCron } from "./support/app";
import { expect, test, type Page } from "./support/test";
import { connectFirstNumber, openConnectPopup } from "./support/hub-popup";
import { messagingAtHub, resetSandbox } from "./support/sandbox";
import { screenshotForDocs } from "./support/screenshots";
import { signedIn, uniqueEmail } from "./support/sign-in";

const STAGES = ["clicked", "redirected", "bound", "running", "key_stored", "webhook_set", "first_message"] as const;
type Totals = Record<(typeof STAGES)[number], number>;

/** The funnel's stage totals over its default range (the last 30 days, today included). */
async function funnelTotals(page: Page): Promise<Totals> {
  await page.goto("/admin/funnel");
  const totals = {} as Totals;
  for (const stage of STAGES) {
    totals[stage] = Number(await page.locator(`tr[data-row="${stage}"] td`).nth(1).innerText());
  }
  return totals;
}

/** The channel ids shown on the client's channels page, in page order. */
async function channelIdsOn(page: Page): Promise<string[]> {
  const items = page.getByRole("list", { name: "Your channels" }).locator(":scope > li");
  return items.evaluateAll((elements) =>
    elements.map((element) => element.querySelector("dd.font-mono")?.textContent ?? ""),
  );
}

test.beforeEach(resetSandbox);

test("two numbers get keys and messaging webhooks, a test message is delivered, and an admin runs the console", async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const admin = await signedIn(browser, "admin@example.com", "/admin/funnel");
  const before = await funnelTotals(admin.page);

  // The client connects two numbers; each gets its key and, with it, its messaging webhook.
  const client = await signedIn(browser, uniqueEmail("console"), "/onboarding");
  const popup = await openConnectPopup(client.page);
  await popup.getByLabel("Client name").fill("Console Trading");
  await popup.getByRole("group", { name: "Phone numbers to connect" }).getByRole("checkbox").nth(1).check();
  const closed = popup.waitForEvent("close");
  await popup.getByRole("button", { name: "Connect numbers" }).click();
  await closed;
  await expect(client.page.getByText("Your numbers are connected")).toBeVisible();
  await client.page.goto("/channels");
  const items = client.page.getByRole("list", { name: "Your channels" }).locator(":scope > li");
  await expect(items).toHaveCount(2);
  for (const item of await items.all()) {
    await expect(item.getByTestId("key-state")).toHaveText(/^stored · ends in \S{4}$/, { timeout: 45_000 });
    await expect(item.getByTestId("messaging-webhook-state")).toHaveText("set", { timeout: 15_000 });
  }
  const channelIds = await channelIdsOn(client.page);
  for (const channelId of channelIds) {
    const atHub = await messagingAtHub(channelId);
    const activeKeys = atHub.keys.filter((key) => key.revokedAt === null);
    expect(activeKeys).toHaveLength(1);
    expect(atHub.webhook).toMatchObject({
      url: `${APP_URL}/api/webhooks/messages`,
      setWithKeyId: activeKeys[0]!.id,
      keyActive: true,
    });
  }

  // The test message: accepted by the messaging API, then sent and delivered by status webhooks.
  const first = items.first();
  await first.getByLabel("Send a test message to").fill("+49 151 2345 6789");
  await first.getByRole("button", { name: "Send test message" }).click();
  const sent = first.getByTestId("test-message");
  await expect(sent).toHaveAttribute("data-status", "DELIVERED", { timeout: 20_000 });
  await expect(sent).toContainText("template to ···6789");
  await expect(sent).toContainText("delivered");
  await screenshotForDocs(client.page, "messaging-hand-off");

  // The client cannot see the console, nor its API.
  for (const path of ["/admin", "/admin/clients", "/admin/channels", "/admin/funnel", "/admin/setup", "/admin/audit"]) {
    expect((await client.page.goto(path))?.status(), path).toBe(404);
  }
  expect((await client.page.request.get("/api/admin/webhook-events/any")).status()).toBe(404);

  // The admin sees the client, its channels and their events.
  await admin.page.goto(`/admin/clients?q=${encodeURIComponent(client.email)}`);
  const clientRow = admin.page.locator("tr[data-client]");
  await expect(clientRow).toHaveCount(1);
  await expect(clientRow).toContainText(client.email);
  await expect(clientRow).toContainText(/bound/i);
  await admin.page.goto("/admin/channels");
  for (const channelId of channelIds) {
    const row = admin.page.locator(`tr[data-channel="${channelId}"]`);
    await expect(row).toContainText(/live/i);
    await expect(row).toContainText(/set/i);
  }
  await screenshotForDocs(admin.page, "console-channels");
  await admin.page.goto(`/admin/events?channel=${channelIds[0]}`);
  await expect(admin.page.locator("tr[data-event-type]").first()).toBeVisible();
  await expect(admin.page.locator('tr[data-event-type="message_status"]').first()).toBeVisible();

  // Rotation: a new key at the Hub, the old one revoked, the webhook set again with the new key.
  const rotated = channelIds[0]!;
  const oldKeyId = (await messagingAtHub(rotated)).keys.find((key) => key.revokedAt === null)!.id;
  await admin.page.goto("/admin/channels");
  await admin.page.getByRole("button", { name: `Rotate key for ${rotated}` }).click();
  await admin.page.getByRole("button", { name: `Confirm rotation for ${rotated}` }).click();
  await expect(admin.page.getByText("Rotation queued")).toBeVisible();
  // 360dialog allows one key creation per number per 30 s, and this number got its first key just
  // now: the job waits out the Hub's Retry-After, then the cron (as Vercel Cron would) runs it.
  await expect
    .poll(
      async () => {
        await runCron();
        const atHub = await messagingAtHub(rotated);
        const active = atHub.keys.filter((key) => key.revokedAt === null);
        const newKey = active.length === 1 && active[0]!.id !== oldKeyId ? active[0]!.id : null;
        return newKey !== null && atHub.webhook?.setWithKeyId === newKey && atHub.webhook.keyActive;
      },
      { timeout: 60_000, intervals: [2_000] },
    )
    .toBe(true);
  const afterRotation = await messagingAtHub(rotated);
  expect(afterRotation.keys.find((key) => key.id === oldKeyId)?.revokedAt).not.toBeNull();
  expect(afterRotation.webhook?.url).toBe(`${APP_URL}/api/webhooks/messages`);

  // The funnel counts this run once: one client, two channels, two keys (a rotation is no new key), one message.
  const after = await funnelTotals(admin.page);
  const delta = Object.fromEntries(STAGES.map((stage) => [stage, after[stage] - before[stage]]));
  expect(delta).toEqual({
    clicked: 1,
    redirected: 1,
    bound: 1,
    running: 2,
    key_stored: 2,
    webhook_set: 2,
    first_message: 1,
  });
  await screenshotForDocs(admin.page, "funnel");

  // A binding that waits for the partner: another user whose email at the Hub differs.
  const claimant = await signedIn(browser, uniqueEmail("claimant"), "/onboarding");
  const claimPopup = await openConnectPopup(claimant.page);
  await connectFirstNumber(claimPopup, { name: "Claimed Ltd", email: uniqueEmail("someone-else") });
  await expect(claimant.page.getByText("Your numbers are waiting for the partner's approval")).toBeVisible();
  await admin.page.goto(`/admin/clients?q=${encodeURIComponent(claimant.email)}`);
  const pendingRow = admin.page.locator("tr[data-client]");
  await expect(pendingRow).toHaveCount(1);
  const pendingClient = (await pendingRow.getAttribute("data-client"))!;
  await pendingRow.getByRole("button", { name: `Approve for ${pendingClient}` }).click();
  // The refreshed table shows the decision in place of the buttons.
  await expect(pendingRow.getByRole("button", { name: `Approve for ${pendingClient}` })).toHaveCount(0);
  await admin.page.reload();
  await expect(admin.page.locator(`tr[data-client="${pendingClient}"]`)).toContainText(/bound/i);

  // Every admin action is in the audit log.
  await admin.page.goto("/admin/audit");
  await expect(admin.page.locator('tr[data-audit-action="channel.rotate_key"]').first()).toContainText(
    "admin@example.com",
  );
  await expect(admin.page.locator('tr[data-audit-action="binding.approve"]').first()).toContainText(
    "admin@example.com",
  );

  await claimant.context.close();
  await client.context.close();
  await admin.context.close();
});
