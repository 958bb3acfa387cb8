import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type Browser } from "./support/test";
import { connectFirstNumber, openConnectPopup } from "./support/hub-popup";
import { PARTNER_ID, resetSandbox } from "./support/sandbox";
import { SANDBOX_URL, signedIn, uniqueEmail, type Person } from "./support/sign-in";

/**
 * The attack from the security review, in real Chromium: an attacker signs up, takes a genuine IO
 * signature and state from /api/sign_io, and opens the Hub's popup from a page on another origin.
 * A victim completes onboarding in that popup. The Connect Button on the redirect page would post
 * the redirect's ids to whatever window opened it; the portal must cut that opener, refuse the
 * attacker's state for the victim, and bind the client only to its proven owner.
 */

// The attacker's site: a page that opens the popup it is given and records every message it gets.
const ATTACKER_PAGE = `<!doctype html>
<html><head><title>Claim your prize</title></head>
<body>
<h1>Claim your prize</h1>
<button id="claim">Claim</button>
<script>
  window.received = [];
  window.addEventListener("message", (event) => window.received.push({ origin: event.origin, data: String(event.data) }));
  document.getElementById("claim").addEventListener("click", () => {
    window.open(new URLSearchParams(location.search).get("hub"), "connect-360dialog", "width=600,height=800");
  });
</script>
</body></html>`;

let attackerSite: Server;
let attackerOrigin: string;

test.beforeAll(async () => {
  attackerSite = createServer((_request, response) => {
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    response.end(ATTACKER_PAGE);
  });
  await new Promise<void>((resolve) => attackerSite.listen(0, "127.0.0.1", resolve));
  attackerOrigin = `http://127.0.0.1:${(attackerSite.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  await new Promise((resolve) => attackerSite.close(resolve));
});

/**
 * The attacker's signature and state, then the victim completing the Hub's popup opened from the
 * attacker's page with them, typing `hubEmail` at the Hub. Returns the Hub client id and the
 * attacker's state, after checking that the attacker's page received nothing.
 */
async function playAttack(browser: Browser, victim: Person, hubEmail: string) {
  const attacker = await signedIn(browser, uniqueEmail("attacker"));
  const appOrigin = new URL(attacker.page.url()).origin;
  const issued = await attacker.page.request.post("/api/sign_io", {
    headers: { origin: appOrigin, "content-type": "application/json" },
    data: {},
  });
  expect(issued.ok()).toBe(true);
  const { signature, timestamp, state } = (await issued.json()) as {
    signature: string;
    timestamp: number;
    state: string;
  };
  const hubUrl = `${SANDBOX_URL.replace("127.0.0.1", "localhost")}/dashboard/app/${PARTNER_ID}?${new URLSearchParams({
    email: victim.email,
    redirect_url: `${appOrigin}/onboarding`,
    io_signature: signature,
    io_timestamp: String(timestamp),
    state,
  })}`;

  const lure = await victim.context.newPage();
  await lure.goto(`${attackerOrigin}/?${new URLSearchParams({ hub: hubUrl })}`);
  const [popup] = await Promise.all([lure.waitForEvent("popup"), lure.getByRole("button", { name: "Claim" }).click()]);
  await popup.waitForLoadState();
  await connectFirstNumber(popup, { name: "Victim Trading", email: hubEmail, expectClose: false });

  // The popup lands on the portal's redirect page, signed in as the victim, with the attacker's state.
  await expect(popup).toHaveURL((url) => url.origin === appOrigin && url.pathname === "/onboarding");
  const client = new URL(popup.url()).searchParams.get("client") ?? "";
  expect(client).not.toBe("");
  await expect(popup.getByText("This onboarding was not started from your account")).toBeVisible();
  // With the opener kept, the button would have posted the query to it and closed the popup.
  expect(popup.isClosed()).toBe(false);
  expect(await lure.evaluate(() => (window as unknown as { received: unknown[] }).received)).toEqual([]);
  expect(await popup.evaluate(() => window.opener === null)).toBe(true);

  // The attacker learns nothing from the portal either, and owns nothing.
  const outcome = await attacker.page.request.get(`/api/onboarding?state=${encodeURIComponent(state)}`);
  expect(await outcome.json()).toEqual({ status: "pending" });
  const theirChannels = await attacker.page.request.get("/api/channels");
  expect(await theirChannels.json()).toEqual({ channels: [] });
  await popup.close();
  await lure.close();
  await attacker.context.close();
  return { client };
}

/** The victim's own onboarding from the portal, typing `hubEmail` at the Hub. */
async function onboardFromPortal(victim: Person, hubEmail: string) {
  await victim.page.goto("/onboarding");
  const popup = await openConnectPopup(victim.page);
  return connectFirstNumber(popup, { name: "Victim Trading", email: hubEmail });
}

test.beforeEach(resetSandbox);

test("a page on another origin learns nothing from the Hub's popup; the victim whose email matches binds the client", async ({
  browser,
}) => {
  const victim = await signedIn(browser, uniqueEmail("victim"), "/onboarding");
  const { client } = await playAttack(browser, victim, victim.email);

  const number = await onboardFromPortal(victim, victim.email);
  await expect(victim.page.getByText("Your numbers are connected")).toBeVisible();
  await expect(victim.page.getByRole("list", { name: "Connected numbers" })).toContainText(number);
  const channels = (await (await victim.page.request.get("/api/channels")).json()) as {
    channels: Array<{ clientId: string; binding: string; phoneNumber: string }>;
  };
  expect(channels.channels).toEqual([
    expect.objectContaining({ clientId: client, binding: "bound", phoneNumber: number }),
  ]);
  await victim.context.close();
});

test("a victim whose email at the Hub differs waits for a partner admin, whose approval binds the client", async ({
  browser,
}) => {
  const victim = await signedIn(browser, uniqueEmail("victim"), "/onboarding");
  const hubEmail = uniqueEmail("victim-at-hub");
  const { client } = await playAttack(browser, victim, hubEmail);

  const number = await onboardFromPortal(victim, hubEmail);
  await expect(victim.page.getByText("Your numbers are waiting for the partner's approval")).toBeVisible();
  await victim.page.goto("/channels");
  const item = victim.page.getByRole("list", { name: "Your channels" }).getByRole("listitem").first();
  await expect(item).toContainText("awaiting partner approval");
  await expect(item).not.toContainText(number);
  expect((await victim.page.goto("/admin/bindings"))?.status()).toBe(404);

  const admin = await signedIn(browser, "admin@example.com", "/admin/bindings");
  const row = admin.page.locator(`tr[data-client="${client}"]`);
  await expect(row).toContainText(victim.email);
  await expect(row).toContainText(hubEmail);
  await row.getByRole("button", { name: `Approve ${client}` }).click();
  await expect(row).toHaveCount(0);
  await admin.context.close();

  await victim.page.goto("/channels");
  await expect(item).toContainText(number);
  await expect(item).not.toContainText("awaiting partner approval");
  await victim.context.close();
});
