import { chromium } from "@playwright/test";
import type pg from "pg";
import { findChromium } from "../support/chromium";
import { percentile } from "./load";
import { seedUser } from "./seed";

export type JourneyTiming = { runs: number; medianMs: number; maxMs: number };

/**
 * In real Chromium: a signed-in client clicks Connect, picks a number in the Hub's popup and
 * submits; timed from that submit (the Hub's redirect back) to the page saying the numbers are
 * connected, which it says once the portal has bound the client.
 */
export async function measureConnectJourney(baseUrl: string, db: pg.Pool, runs: number): Promise<JourneyTiming> {
  const browser = await chromium.launch({ executablePath: findChromium(), args: ["--no-sandbox", "--headless"] });
  const timings: number[] = [];
  try {
    for (let run = 0; run < runs; run++) {
      const user = await seedUser(db, `journey-${run}@example.com`);
      const context = await browser.newContext({ baseURL: baseUrl });
      const [name, value] = user.cookie.split("=") as [string, string];
      await context.addCookies([{ name, value, url: baseUrl, httpOnly: true, sameSite: "Lax" }]);
      const page = await context.newPage();
      await page.goto("/onboarding");
      const connect = page.getByRole("button", { name: "Connect WhatsApp" });
      // Enabled once the page holds its IO signature.
      while (!(await connect.isEnabled())) await page.waitForTimeout(50);
      const [popup] = await Promise.all([page.waitForEvent("popup"), connect.click()]);
      await popup.getByLabel("Client name").fill("Journey Ltd");
      await popup.getByRole("group", { name: "Phone numbers to connect" }).getByRole("checkbox").nth(0).check();
      const started = Date.now();
      await popup.getByRole("button", { name: "Connect numbers" }).click();
      await page.getByText("Your numbers are connected").waitFor({ timeout: 30_000 });
      timings.push(Date.now() - started);
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return { runs: timings.length, medianMs: percentile(timings, 0.5), maxMs: Math.max(...timings) };
}
