import { expect, test } from "./support/test";

test("the landing page explains the portal and leads to sign-in and onboarding", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("WhatsApp Business");
  await expect(page.getByRole("link", { name: "Start onboarding" })).toHaveAttribute("href", "/onboarding");
  await page.getByRole("main").getByRole("link", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/login$/);
});

test("/api/health reports a reachable database and is never cached", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  expect(response.headers()["cache-control"]).toContain("no-store");
  expect(await response.json()).toEqual({ status: "ok", db: "ok" });
});
