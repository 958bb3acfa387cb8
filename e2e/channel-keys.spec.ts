import { expect, test, type Page } from "./support/test";
import { connectFirstNumber, openConnectPopup } from "./support/hub-popup";
import { partnerApi, resetSandbox } from "./support/sandbox";
import { signInWithMagicLink, uniqueEmail } from "./support/sign-in";

/** The keys the sandbox issued for a channel, read from its Partner API as the Hub would list them. */
async function keysAtHub(channelId: string): Promise<string[]> {
  const response = await partnerApi(`/channels/${channelId}/api_keys`);
  const body = (await response.json()) as { api_keys: Array<{ api_key: string }> };
  return body.api_keys.map((key) => key.api_key);
}

/** Every body the browser receives from the portal, to check no secret ever reaches it. */
function recordResponses(page: Page): string[] {
  const bodies: string[] = [];
  const portal = new URL(process.env.E2E_BASE_URL ?? "http://localhost:3100").origin;
  page.on("response", (response) => {
    if (new URL(response.url()).origin !== portal) return;
    response.text().then(
      (text) => bodies.push(text),
      () => undefined,
    );
  });
  return bodies;
}

test.beforeEach(resetSandbox);

test("both numbers reach live with a stored, masked key, without a reload, and no key reaches the browser", async ({
  page,
}) => {
  const bodies = recordResponses(page);
  await signInWithMagicLink(page, uniqueEmail("keys"), { callbackUrl: "/onboarding" });
  const popup = await openConnectPopup(page);
  await popup.getByLabel("Client name").fill("Keyed Ltd");
  const numbers = popup.getByRole("group", { name: "Phone numbers to connect" }).getByRole("checkbox");
  await numbers.nth(1).check();
  const closed = popup.waitForEvent("close");
  await popup.getByRole("button", { name: "Connect numbers" }).click();
  await closed;
  await expect(page.getByText("Your numbers are connected")).toBeVisible();

  await page.getByRole("link", { name: "Follow them on your channels page" }).click();
  // The channel cards themselves, not the entries of each card's timeline list.
  const items = page.getByRole("list", { name: "Your channels" }).locator(":scope > li");
  await expect(items).toHaveCount(2);
  const navigations: string[] = [];
  page.on("framenavigated", (frame) => navigations.push(frame.url()));
  for (const item of await items.all()) {
    await expect(item).toContainText("live", { timeout: 30_000 });
    await expect(item.getByTestId("key-state")).toHaveText(/^stored · ends in \S{4}$/, { timeout: 30_000 });
  }
  expect(navigations).toEqual([]);

  const channelIds = await items.evaluateAll((elements) =>
    elements.map((element) => element.querySelector("dd.font-mono")?.textContent ?? ""),
  );
  const keys = (await Promise.all(channelIds.map(keysAtHub))).flat();
  expect(keys).toHaveLength(2);
  for (const [index, item] of (await items.all()).entries()) {
    const key = (await keysAtHub(channelIds[index]!))[0]!;
    await expect(item.getByTestId("key-state")).toHaveText(`stored · ends in ${key.slice(-4)}`);
  }
  await page.reload();
  await expect(items).toHaveCount(2);
  for (const key of keys) expect(bodies.some((body) => body.includes(key))).toBe(false);
});

test("a direct-paid client without permission waits, grants it through the Hub, then gets the key", async ({
  page,
}) => {
  const email = uniqueEmail("direct-paid");
  await signInWithMagicLink(page, email, { callbackUrl: "/onboarding" });
  const popup = await openConnectPopup(page);
  await popup.getByLabel("Direct-paid").check();
  await connectFirstNumber(popup, { name: "Self Paying Ltd" });
  await expect(page.getByText("Your numbers are connected")).toBeVisible();

  await page.goto("/channels");
  const first = page.getByRole("list", { name: "Your channels" }).locator(":scope > li").first();
  await expect(first.getByTestId("key-state")).toHaveText("waiting for your permission", { timeout: 30_000 });
  await expect(first).toContainText("Grant it in the 360dialog window");

  await first.getByRole("link", { name: "Grant it in the 360dialog window" }).click();
  const again = await openConnectPopup(page);
  await again.getByLabel("Direct-paid").check();
  await again.getByLabel("Grant API-key permission to the partner").check();
  await connectFirstNumber(again, { name: "Self Paying Ltd" });
  await expect(page.getByText("Your numbers are connected")).toBeVisible();

  await page.goto("/channels");
  const keyStates = page.getByRole("list", { name: "Your channels" }).getByTestId("key-state");
  await expect(keyStates).toHaveCount(2);
  for (const state of await keyStates.all()) {
    await expect(state).toHaveText(/^stored · ends in \S{4}$/, { timeout: 30_000 });
  }
});
