import { expect, test } from "./support/test";
import {
  listMail,
  magicLinkIn,
  requestMagicLink,
  signInWithMagicLink,
  uniqueEmail,
  waitForMail,
} from "./support/sign-in";

// The app's one origin (APP_URL); every link it mails must point here.
const appOrigin = () => new URL(test.info().project.use.baseURL ?? "http://localhost:3100").origin;

test.describe("signed out", () => {
  test("a protected page redirects to /login and keeps where the user was going", async ({ page }) => {
    await page.goto("/onboarding");
    await expect(page).toHaveURL(
      (url) => url.pathname === "/login" && url.searchParams.get("callbackUrl") === "/onboarding",
    );
    await expect(page.getByRole("heading", { name: "Sign in", level: 1 })).toBeVisible();
  });

  test("protected APIs answer 401 JSON", async ({ request }) => {
    for (const [method, path] of [
      ["GET", "/api/channels"],
      ["POST", "/api/sign_io"],
      ["POST", "/api/onboarding"],
    ] as const) {
      const response = await request.fetch(path, { method, maxRedirects: 0 });
      expect(response.status(), `${method} ${path}`).toBe(401);
      expect(await response.json()).toEqual({ error: { code: "unauthorized", message: expect.any(String) } });
    }
  });

  test("health, Auth.js, webhook and cron endpoints are not gated: each answers for itself", async ({ request }) => {
    expect((await request.get("/api/health")).status()).toBe(200);
    // The handlers' own 401s, not the proxy's "unauthorized": the Hub and Vercel Cron get through.
    const webhook = await request.post("/api/webhooks/360dialog", { data: { event: "channel_running", data: {} } });
    expect(webhook.status()).toBe(401);
    expect((await webhook.json()).error.code).toBe("invalid_signature");
    const cron = await request.get("/api/cron/reconcile");
    expect(cron.status()).toBe(401);
    expect((await cron.json()).error.message).toContain("cron secret");
    const session = await request.get("/api/auth/session");
    expect(session.status()).toBe(200);
    expect(await session.json()).toBeNull();
  });

  test("a forged session cookie gets past the proxy but not the page's own check", async ({ page, context }) => {
    await context.addCookies([{ name: "authjs.session-token", value: "forged", url: appOrigin() }]);
    await page.goto("/onboarding");
    await expect(page).toHaveURL((url) => url.pathname === "/login");
  });
});

test("magic link sign-in lands where the user was going, with a database session", async ({ page, context }) => {
  const email = uniqueEmail();
  await page.goto("/onboarding");
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fonboarding$/);
  const seen = new Set((await listMail(email)).map((m) => m.id));
  await page.getByLabel("Email address").fill(email);
  await page.getByRole("button", { name: "Email me a sign-in link" }).click();
  await expect(page).toHaveURL(/\/login\/check-email$/);
  // By role: after a client navigation Next's route announcer also says "Check your email".
  await expect(page.getByRole("heading", { name: "Check your email", level: 1 })).toBeVisible();

  const mail = await waitForMail(email, { seen });
  expect(mail.subject).toBe("Sign in to the Onboarding Portal");
  expect(mail.text).toBeTruthy();
  expect(mail.html).toBeTruthy();
  const link = new URL(magicLinkIn(mail));
  expect(link.origin).toBe(appOrigin());
  expect(new URL(link.searchParams.get("callbackUrl")!).href).toBe(`${appOrigin()}/onboarding`);

  await page.goto(link.href);
  await expect(page).toHaveURL((url) => url.pathname === "/onboarding");
  await expect(page.getByTestId("signed-in-user")).toContainText(email);

  const cookie = (await context.cookies()).find((c) => c.name === "authjs.session-token");
  expect(cookie?.httpOnly).toBe(true);
  expect(cookie?.sameSite).toBe("Lax");

  const session = (await (await page.request.get("/api/auth/session")).json()) as { user: Record<string, unknown> };
  expect(session.user).toMatchObject({ email, role: "CLIENT", id: expect.any(String) });
  // The session JSON must not hand the httpOnly session token to scripts.
  expect(Object.keys(session).sort()).toEqual(["expires", "user"]);
  expect(JSON.stringify(session)).not.toContain(cookie!.value);
});

test("a magic link works once", async ({ page, browser }) => {
  const email = uniqueEmail("once");
  const link = await requestMagicLink(page, email);
  await page.goto(link);
  await expect(page.getByTestId("signed-in-user")).toContainText(email);

  const other = await browser.newContext({ baseURL: appOrigin() });
  try {
    const second = await other.newPage();
    await second.goto(link);
    await expect(second).toHaveURL(
      (url) => url.pathname === "/login" && url.searchParams.get("error") === "Verification",
    );
    await expect(second.getByRole("main").getByRole("alert")).toContainText("invalid, has expired or was already used");
  } finally {
    await other.close();
  }
});

test("addresses in ADMIN_EMAILS sign in as admins", async ({ page }) => {
  // scripts/e2e.ts runs with the local defaults: ADMIN_EMAILS=admin@example.com.
  await signInWithMagicLink(page, "admin@example.com");
  await expect(page.getByTestId("signed-in-user")).toContainText("Admin");
  const session = (await (await page.request.get("/api/auth/session")).json()) as { user: Record<string, unknown> };
  expect(session.user.role).toBe("ADMIN");
});

test("the mailed link ignores a forged X-Forwarded-Host", async ({ request }) => {
  const email = uniqueEmail("host");
  const seen = new Set((await listMail(email)).map((m) => m.id));
  const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const response = await request.post("/api/auth/signin/nodemailer", {
    form: { email, csrfToken, callbackUrl: "https://attacker.example/steal" },
    headers: { "X-Forwarded-Host": "attacker.example", "X-Forwarded-Proto": "https" },
    maxRedirects: 0,
  });
  expect(response.status()).toBe(302);
  expect(response.headers().location).not.toContain("attacker.example");

  const link = new URL(magicLinkIn(await waitForMail(email, { seen })));
  expect(link.origin).toBe(appOrigin());
  expect(link.searchParams.get("callbackUrl")).toBe(`${appOrigin()}/`);
});

test("sign-out ends the session for good", async ({ page, browser }) => {
  const email = uniqueEmail("out");
  await signInWithMagicLink(page, email, { callbackUrl: "/channels" });
  const [cookie] = (await page.context().cookies()).filter((c) => c.name === "authjs.session-token");
  expect(cookie).toBeDefined();

  await page.getByRole("link", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login\/sign-out$/);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/");
  await expect(page.getByRole("navigation").getByRole("link", { name: "Sign in" })).toBeVisible();

  // The old cookie no longer names a session: the server-side check rejects it.
  const replay = await browser.newContext({ baseURL: appOrigin() });
  try {
    await replay.addCookies([{ ...cookie! }]);
    const stale = await replay.newPage();
    await stale.goto("/channels");
    await expect(stale).toHaveURL((url) => url.pathname === "/login");
    expect(await (await stale.request.get("/api/auth/session")).json()).toBeNull();
  } finally {
    await replay.close();
  }
});
