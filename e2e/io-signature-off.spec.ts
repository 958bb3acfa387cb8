import { expect, test } from "./support/test";
import { connectFirstNumber, openConnectPopup } from "./support/hub-popup";
import { SANDBOX_URL, signInWithMagicLink, uniqueEmail } from "./support/sign-in";

// scripts/e2e.ts serves the same build here with HUB_IO_SIGNATURE=off.
const IO_OFF_URL = process.env.E2E_IO_OFF_URL ?? "http://localhost:3101";
const ON_URL = process.env.E2E_BASE_URL ?? "http://localhost:3100";

async function sandboxConfig(patch: Record<string, unknown>) {
  const response = await fetch(`${SANDBOX_URL}/__sandbox/config`, {
    method: "PATCH",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(patch),
  });
  expect(response.ok).toBe(true);
}

test.describe("with IO Signature off, as the seed guide's first mode", () => {
  test.use({ baseURL: IO_OFF_URL });
  // The Hub of a partner without IO Signature asks for none, and redirects to that portal.
  test.beforeAll(async () => {
    await sandboxConfig({ ioSignatureRequired: false, partnerRedirectUrl: `${IO_OFF_URL}/onboarding` });
  });
  test.afterAll(async () => {
    await sandboxConfig({ ioSignatureRequired: true, partnerRedirectUrl: `${ON_URL}/onboarding` });
  });

  test("a client connects a number from click to bound, with no signature anywhere", async ({ page }) => {
    const signIoCalls: string[] = [];
    page.on("request", (request) => {
      if (new URL(request.url()).pathname === "/api/sign_io") signIoCalls.push(request.url());
    });
    const email = uniqueEmail("io-off");
    await signInWithMagicLink(page, email, { callbackUrl: "/onboarding" });
    expect(new URL(page.url()).origin).toBe(IO_OFF_URL);

    const popup = await openConnectPopup(page);
    const opened = new URL(popup.url());
    expect(opened.searchParams.has("io_signature")).toBe(false);
    expect(opened.searchParams.has("state")).toBe(false);
    const chosen = await connectFirstNumber(popup, { name: "Signatureless Ltd" });

    await expect(page.getByText("Your numbers are connected")).toBeVisible();
    await expect(page.getByRole("list", { name: "Connected numbers" })).toContainText(chosen);
    await page.goto("/channels");
    await expect(page.getByRole("list", { name: "Your channels" })).toContainText(chosen);
    expect(signIoCalls).toEqual([]);
  });
});
