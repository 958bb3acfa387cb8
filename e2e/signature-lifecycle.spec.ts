import { connectFirstNumber, openConnectPopup } from "./support/hub-popup";
import { resetSandbox } from "./support/sandbox";
import { signInWithMagicLink, uniqueEmail } from "./support/sign-in";
import { expect, test } from "./support/test";

// The IO signature's life in a real browser: single use, refreshed before it ages, and a
// completion the page learns of even when the popup cannot tell it.
test.beforeEach(resetSandbox);

test("a reused signature is refused by the Hub, and the next click carries a fresh one that works", async ({
  page,
  context,
}) => {
  await signInWithMagicLink(page, uniqueEmail("reuse"), { callbackUrl: "/onboarding" });
  const first = await openConnectPopup(page);
  const usedUrl = first.url();
  await expect(first.getByRole("button", { name: "Connect numbers" })).toBeVisible();
  await first.close();

  // The same URL again, as a replay or a reloaded popup: the Hub refuses the spent signature.
  const replay = await context.newPage();
  await replay.goto(usedUrl);
  await expect(replay.getByText("IO signature already used")).toBeVisible();
  await replay.close();

  const fresh = await openConnectPopup(page);
  const reused = new URL(usedUrl).searchParams.get("io_signature");
  expect(new URL(fresh.url()).searchParams.get("io_signature")).not.toBe(reused);
  await connectFirstNumber(fresh, { name: "Second Try Ltd" });
  await expect(page.getByText("Your numbers are connected")).toBeVisible();
});

test("a page left open asks for its signature again before it ages, so the click never carries a stale one", async ({
  page,
}) => {
  await page.clock.install();
  await signInWithMagicLink(page, uniqueEmail("aging"), { callbackUrl: "/onboarding" });
  await expect(page.getByRole("button", { name: "Connect WhatsApp" })).toBeEnabled();
  const asked: string[] = [];
  page.on("request", (request) => {
    if (new URL(request.url()).pathname === "/api/sign_io") asked.push(request.method());
  });
  // Ten minutes on the page's clock: the query is stale and fetched again, with no click.
  await page.clock.fastForward("10:30");
  await expect.poll(() => asked.length, { timeout: 10_000 }).toBeGreaterThan(0);
  const latest = page.waitForResponse((response) => new URL(response.url()).pathname === "/api/sign_io");
  await page.clock.fastForward("10:30");
  const issued = (await (await latest).json()) as { signature: string };
  const popup = await openConnectPopup(page);
  expect(new URL(popup.url()).searchParams.get("io_signature")).toBe(issued.signature);
});

test("a popup that cannot reach its opener still completes on the server, and the page notices within seconds", async ({
  page,
}) => {
  await signInWithMagicLink(page, uniqueEmail("no-opener"), { callbackUrl: "/onboarding" });
  const popup = await openConnectPopup(page);
  // As if a browser policy or an extension cut the link between the two windows.
  await popup.evaluate(() => {
    window.opener = null;
  });
  const submitted = Date.now();
  await connectFirstNumber(popup, { name: "Lonely Popup Ltd", expectClose: false });
  await expect(page.getByText("Your numbers are connected")).toBeVisible({ timeout: 10_000 });
  const noticedAfterMs = Date.now() - submitted;
  console.log(`PROOF popup without opener: noticed_after_ms=${noticedAfterMs}`);
  expect(noticedAfterMs).toBeLessThan(8_000);
});
