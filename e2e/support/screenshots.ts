import type { Page } from "@playwright/test";

/**
 * The README's screenshots come from the journey the suite already drives: with E2E_SCREENSHOTS
 * set to a directory, each call saves the page there (`npm run test:e2e` through scripts/e2e.ts).
 */
export async function screenshotForDocs(page: Page, name: string): Promise<void> {
  const directory = process.env.E2E_SCREENSHOTS;
  if (directory) await page.screenshot({ path: `${directory}/${name}.png`, fullPage: true });
}
