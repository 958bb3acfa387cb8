import { expect, test } from "./support/test";
import { openConnectPopup } from "./support/hub-popup";
import { resetSandbox } from "./support/sandbox";
import { SANDBOX_URL, signInWithMagicLink, uniqueEmail } from "./support/sign-in";

type SignatureSummary = { accepted: number; refused: number; distinctAccepted: number };

async function sandboxSignatures(): Promise<SignatureSummary> {
  const response = await fetch(`${SANDBOX_URL}/__sandbox/state`);
  return ((await response.json()) as { signatureSummary: SignatureSummary }).signatureSummary;
}

test("a client signs in, connects two numbers through the Hub popup and sees them verified", async ({ page }) => {
  await resetSandbox();
  const email = uniqueEmail("onboarding");
  await signInWithMagicLink(page, email, { callbackUrl: "/onboarding" });
  await expect(page.getByRole("heading", { name: "Connect WhatsApp" })).toBeVisible();

  // A first attempt abandoned in the popup: the next click on the same page needs a new signature.
  const abandoned = await openConnectPopup(page);
  const firstSignature = new URL(abandoned.url()).searchParams.get("io_signature");
  expect(firstSignature).toMatch(/^[0-9a-f]{128}$/);
  await expect(abandoned.getByRole("button", { name: "Connect numbers" })).toBeVisible();
  await abandoned.close();

  const popup = await openConnectPopup(page);
  expect(new URL(popup.url()).searchParams.get("io_signature")).not.toBe(firstSignature);
  await expect(popup.getByLabel("Email address")).toHaveValue(email);
  await popup.getByLabel("Client name").fill("Acme Trading");
  const numbers = popup.getByRole("group", { name: "Phone numbers to connect" }).getByRole("checkbox");
  await numbers.nth(0).check();
  await numbers.nth(1).check();
  const chosen = [
    (await numbers.nth(0).getAttribute("value")) ?? "",
    (await numbers.nth(1).getAttribute("value")) ?? "",
  ];
  const closed = popup.waitForEvent("close");
  await popup.getByRole("button", { name: "Connect numbers" }).click();
  await closed;

  const connected = page.getByRole("list", { name: "Connected numbers" });
  await expect(connected).toBeVisible();
  for (const number of chosen) await expect(connected).toContainText(number);
  await expect(page).toHaveURL((url) => url.pathname === "/onboarding" && url.search === "");
  expect(await sandboxSignatures()).toEqual({ accepted: 2, refused: 0, distinctAccepted: 2 });

  // Coming back as the same client: a third fresh signature, one number added, one revoked.
  const returning = await openConnectPopup(page);
  const [kept, revoked] = chosen as [string, string];
  await returning.getByLabel(`Revoke ${revoked}`).check();
  const added =
    (await returning
      .getByRole("group", { name: "Phone numbers to connect" })
      .getByRole("checkbox")
      .nth(0)
      .getAttribute("value")) ?? "";
  const returningClosed = returning.waitForEvent("close");
  await returning.getByRole("button", { name: "Connect numbers" }).click();
  await returningClosed;
  await expect(page.getByText("Access removed for 1 number(s).")).toBeVisible();
  await expect(connected).toContainText(added);
  expect(await sandboxSignatures()).toEqual({ accepted: 3, refused: 0, distinctAccepted: 3 });

  await page.getByRole("link", { name: "Follow them on your channels page" }).click();
  const channels = page.getByRole("list", { name: "Your channels" });
  for (const number of [kept, added])
    await expect(channels.getByRole("listitem").filter({ hasText: number })).not.toContainText("revoked");
  await expect(channels.getByRole("listitem").filter({ hasText: revoked })).toContainText("revoked");
});
