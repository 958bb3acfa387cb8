import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { test as base, type BrowserContext } from "@playwright/test";

export { expect } from "@playwright/test";
export type { Browser, Page } from "@playwright/test";

const CAPTURE_DIR = process.env.E2E_CAPTURE_DIR;
const PORTAL_ORIGINS = new Set(
  [process.env.E2E_BASE_URL, process.env.E2E_IO_OFF_URL].filter(Boolean).map((url) => new URL(url!).origin),
);

/**
 * Every spec's `test`: with E2E_CAPTURE_DIR set (scripts/e2e.ts sets it), every body the portal
 * sends to any browser context is appended there, so the run can prove afterwards that no secret
 * ever reached a browser.
 */
export const test = base.extend<{ capturePortalResponses: void }>({
  capturePortalResponses: [
    async ({ browser, context }, use, testInfo) => {
      if (!CAPTURE_DIR) return use();
      const file = join(CAPTURE_DIR, `responses-${testInfo.workerIndex}.txt`);
      const record = (target: BrowserContext) =>
        target.on("response", (response) => {
          if (!PORTAL_ORIGINS.has(new URL(response.url()).origin)) return;
          response.body().then(
            (body) => appendFileSync(file, Buffer.concat([body, Buffer.from("\n")])),
            () => undefined,
          );
        });
      record(context);
      const newContext = browser.newContext.bind(browser);
      browser.newContext = async (...args) => {
        const created = await newContext(...args);
        record(created);
        return created;
      };
      await use();
      browser.newContext = newContext;
    },
    { auto: true },
  ],
});
