import { APP_URL, runCron } from "./support/app";
import { expect, test } from "./support/test";
import { partnerApi, resetSandbox } from "./support/sandbox";
import { screenshotForDocs } from "./support/screenshots";
import { signedIn } from "./support/sign-in";

test.beforeEach(resetSandbox);

test("the setup doctor is all green with the default configuration, and sets the Hub's URLs when they drift", async ({
  browser,
}) => {
  // The reconciliation has run once, as Vercel Cron or the dev worker would have by now.
  await runCron();

  const admin = await signedIn(browser, "admin@example.com", "/admin/setup");
  const checks = admin.page.locator("li[data-check]");
  await expect(checks).toHaveCount(10);
  for (const check of await checks.all()) {
    await expect(check, (await check.getAttribute("data-check")) ?? "").toHaveAttribute("data-status", "pass");
  }
  await screenshotForDocs(admin.page, "setup-doctor");

  // Someone points the Hub's webhook elsewhere: exactly that check turns red, with its fix.
  const moved = await partnerApi("", {
    method: "PATCH",
    body: JSON.stringify({ webhook_url: "https://elsewhere.example.com/hooks" }),
  });
  expect(moved.ok).toBe(true);
  await admin.page.reload();
  const failing = admin.page.locator('li[data-check][data-status="fail"]');
  await expect(failing).toHaveCount(1);
  await expect(failing).toHaveAttribute("data-check", "hub_webhook_url");
  await expect(failing).toContainText(`${APP_URL}/api/webhooks/360dialog`);

  await admin.page.getByLabel(/I understand that 360dialog will send/).check();
  await admin.page.getByRole("button", { name: "Set them" }).click();
  await expect(admin.page.locator('li[data-check="hub_webhook_url"]')).toHaveAttribute("data-status", "pass");
  await expect(admin.page.locator('li[data-check="hub_redirect_url"]')).toHaveAttribute("data-status", "pass");
  const settings = (await (await partnerApi("")).json()) as { webhook_url?: string };
  expect(JSON.stringify(settings)).toContain(`${APP_URL}/api/webhooks/360dialog`);

  await admin.page.goto("/admin/audit");
  await expect(admin.page.locator('tr[data-audit-action="partner.set_urls"]').first()).toContainText(
    "admin@example.com",
  );
  await admin.context.close();
});
