import { expect, type Browser, type BrowserContext, type Page } from "@playwright/test";

/** The sandbox's control API (mail catcher included); scripts/e2e.ts starts it. */
export const SANDBOX_URL = process.env.SANDBOX_URL ?? "http://localhost:8082";

/** One message as the sandbox mail catcher reports it (sandbox/mail.ts). */
export type CaughtMail = {
  id: string;
  receivedAt: string;
  envelope: { from: string | null; to: string[] };
  from: string;
  to: string[];
  subject: string;
  text: string | null;
  html: string | null;
  links: string[];
};

/** A fresh address per test keeps users, sessions and mail apart between tests and runs. */
export function uniqueEmail(label = "client"): string {
  return `e2e-${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}@example.com`;
}

/** Every message the mail catcher holds for `email`, oldest first. */
export async function listMail(email: string): Promise<CaughtMail[]> {
  const response = await fetch(`${SANDBOX_URL}/__sandbox/mail?${new URLSearchParams({ to: email })}`);
  if (!response.ok) throw new Error(`sandbox mail catcher answered HTTP ${response.status}`);
  const body = (await response.json()) as { count: number; messages: CaughtMail[] };
  return body.messages;
}

/**
 * Waits for a message to `email` that is not in `seen` (ids) and returns it, newest first.
 * Mail travels app → SMTP → catcher asynchronously, hence the polling.
 */
export async function waitForMail(
  email: string,
  { seen = new Set<string>(), timeoutMs = 15_000 } = {},
): Promise<CaughtMail> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const fresh = (await listMail(email)).filter((m) => !seen.has(m.id));
    const newest = fresh.at(-1);
    if (newest) return newest;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no new mail for ${email} within ${timeoutMs} ms`);
}

/** The Auth.js magic link in a sign-in email. */
export function magicLinkIn(mail: CaughtMail): string {
  const link = mail.links.find((l) => new URL(l).pathname === "/api/auth/callback/nodemailer");
  if (!link) throw new Error(`no magic link in mail "${mail.subject}" (links: ${mail.links.length})`);
  return link;
}

/**
 * Requests a magic link for `email` on /login and returns it without opening it.
 * `callbackUrl` is where the link will land (default "/").
 */
export async function requestMagicLink(
  page: Page,
  email: string,
  { callbackUrl = "/" }: { callbackUrl?: string } = {},
): Promise<string> {
  const seen = new Set((await listMail(email)).map((m) => m.id));
  await page.goto(`/login?${new URLSearchParams({ callbackUrl })}`);
  await page.getByLabel("Email address").fill(email);
  await page.getByRole("button", { name: "Email me a sign-in link" }).click();
  await expect(page).toHaveURL(/\/login\/check-email$/);
  return magicLinkIn(await waitForMail(email, { seen }));
}

/**
 * Signs `page`'s browser context in as `email` through the real flow: the /login form, the mail
 * caught by the sandbox, and the magic link. Resolves on `callbackUrl` (default "/"), signed in.
 * Reusable by any spec: `await signInWithMagicLink(page, uniqueEmail())`.
 */
export async function signInWithMagicLink(
  page: Page,
  email: string,
  options: { callbackUrl?: string } = {},
): Promise<void> {
  const callbackUrl = options.callbackUrl ?? "/";
  const link = await requestMagicLink(page, email, { callbackUrl });
  await page.goto(link);
  const expected = new URL(callbackUrl, page.url());
  await expect(page).toHaveURL((url) => url.pathname === expected.pathname);
  await expect(page.getByTestId("signed-in-user")).toContainText(email.toLowerCase());
}

/** Someone signed in in a browser context of their own, so several people can act in one test. */
export type Person = { context: BrowserContext; page: Page; email: string };

export async function signedIn(browser: Browser, email: string, callbackUrl = "/"): Promise<Person> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInWithMagicLink(page, email, { callbackUrl });
  return { context, page, email };
}
