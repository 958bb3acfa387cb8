import { expect, test } from "./support/test";
import { expectNoSeriousA11yViolations } from "./support/axe";
import { connectFirstNumber, openConnectPopup } from "./support/hub-popup";
import { resetSandbox } from "./support/sandbox";
import { signedIn, uniqueEmail } from "./support/sign-in";

test.beforeEach(resetSandbox);

test("every page passes axe with no serious or critical findings, with data on it", async ({ browser }) => {
  // Sixteen pages, each analysed in full: axe takes seconds per page on two shared cores.
  test.setTimeout(240_000);
  const anonymous = await browser.newContext();
  const visitor = await anonymous.newPage();
  for (const path of ["/", "/login", "/login/check-email"]) {
    await visitor.goto(path);
    await expectNoSeriousA11yViolations(visitor);
  }
  await anonymous.close();

  // A client with a connected number, so the channel card, its forms and the console's rows exist.
  const client = await signedIn(browser, uniqueEmail("a11y"), "/onboarding");
  await expectNoSeriousA11yViolations(client.page);
  const popup = await openConnectPopup(client.page);
  await connectFirstNumber(popup, { name: "Accessible Ltd" });
  await expect(client.page.getByText("Your numbers are connected")).toBeVisible();
  await expectNoSeriousA11yViolations(client.page);
  await client.page.goto("/channels");
  await expect(client.page.getByTestId("key-state")).toHaveText(/^stored/, { timeout: 30_000 });
  await expectNoSeriousA11yViolations(client.page);
  await client.context.close();

  const admin = await signedIn(browser, "admin@example.com", "/admin/clients");
  const pages = [
    "/admin/clients",
    "/admin/channels",
    "/admin/bindings",
    "/admin/events",
    "/admin/jobs",
    "/admin/audit",
    "/admin/funnel",
    "/admin/setup",
  ];
  for (const path of pages) {
    await admin.page.goto(path);
    await expectNoSeriousA11yViolations(admin.page);
  }
  // The detail pages, reached the way an admin would.
  await admin.page.goto("/admin/channels");
  await admin.page.locator("tr[data-channel] a").first().click();
  await expect(admin.page).toHaveURL(/\/admin\/channels\/[^/]+$/);
  await expectNoSeriousA11yViolations(admin.page);
  await admin.page.goto("/admin/events");
  await admin.page.locator("tr[data-event-type] a").first().click();
  await expect(admin.page).toHaveURL(/\/admin\/events\/[^/]+$/);
  await expectNoSeriousA11yViolations(admin.page);
  await admin.context.close();
});
