import { existsSync } from "node:fs";

/** The Chromium Playwright drives: Debian's package, since Playwright's own download is impossible here. */
export function findChromium(): string {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter(
    (path): path is string => Boolean(path),
  );
  const found = candidates.find((path) => existsSync(path));
  if (!found) {
    throw new Error(
      `Chromium not found (looked at ${candidates.join(", ")}). Install it with "apt-get install -y chromium" or set CHROMIUM_PATH.`,
    );
  }
  return found;
}
