import { expect, type Page } from "@playwright/test";

/** Clicks Connect WhatsApp once it is enabled and returns the Hub's popup, loaded. */
export async function openConnectPopup(page: Page): Promise<Page> {
  const connect = page.getByRole("button", { name: "Connect WhatsApp" });
  await expect(connect).toBeEnabled();
  const [popup] = await Promise.all([page.waitForEvent("popup"), connect.click()]);
  await popup.waitForLoadState();
  return popup;
}

/**
 * Fills the sandbox's onboarding form with one offered number and submits it; `email` overwrites
 * the pre-filled one. Waits for the popup to close when `expectClose` (it hands the redirect to its
 * opener and closes). Returns the chosen number.
 */
export async function connectFirstNumber(
  popup: Page,
  options: { name: string; email?: string; expectClose?: boolean },
): Promise<string> {
  if (options.email !== undefined) await popup.getByLabel("Email address").fill(options.email);
  await popup.getByLabel("Client name").fill(options.name);
  const number = popup.getByRole("group", { name: "Phone numbers to connect" }).getByRole("checkbox").nth(0);
  await number.check();
  const chosen = (await number.getAttribute("value")) ?? "";
  const closed = options.expectClose === false ? null : popup.waitForEvent("close");
  await popup.getByRole("button", { name: "Connect numbers" }).click();
  await closed;
  return chosen;
}
