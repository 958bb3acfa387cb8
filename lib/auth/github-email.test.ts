import { describe, expect, it, vi } from "vitest";
import { isVerifiedGitHubEmail } from "./github-email";

// GitHub is outside this machine: a stub stands in for api.github.com.
function githubAnswering(status: number, body: unknown) {
  return vi.fn<typeof fetch>(async () => Response.json(body, { status }));
}

const emails = (...entries: Array<{ email: string; primary: boolean; verified: boolean }>) =>
  entries.map((entry) => ({ ...entry, visibility: entry.primary ? "private" : null }));

describe("isVerifiedGitHubEmail", () => {
  it("accepts the verified primary address, case and spaces aside, asking GitHub with the user's token", async () => {
    const fetchImpl = githubAnswering(
      200,
      emails(
        { email: "other@example.com", primary: false, verified: true },
        { email: "Dev@Example.com", primary: true, verified: true },
      ),
    );
    expect(await isVerifiedGitHubEmail("gho_token", " dev@example.COM ", fetchImpl)).toBe(true);
    expect(fetchImpl).toHaveBeenCalledTimes(1);
    const [url, init] = fetchImpl.mock.calls[0]!;
    expect(url).toBe("https://api.github.com/user/emails");
    const headers = new Headers(init?.headers);
    expect(headers.get("authorization")).toBe("Bearer gho_token");
    expect(headers.get("accept")).toBe("application/vnd.github+json");
    expect(headers.get("user-agent")).toBeTruthy();
  });

  it("refuses an unverified primary address", async () => {
    const fetchImpl = githubAnswering(200, emails({ email: "dev@example.com", primary: true, verified: false }));
    expect(await isVerifiedGitHubEmail("t", "dev@example.com", fetchImpl)).toBe(false);
  });

  it("refuses a verified address that is not the primary one, and a primary that is another address", async () => {
    const fetchImpl = githubAnswering(
      200,
      emails(
        { email: "dev@example.com", primary: false, verified: true },
        { email: "main@example.com", primary: true, verified: true },
      ),
    );
    expect(await isVerifiedGitHubEmail("t", "dev@example.com", fetchImpl)).toBe(false);
    expect(await isVerifiedGitHubEmail("t", "dev@example.co", fetchImpl)).toBe(false);
  });

  it("refuses when GitHub answers 401 (even with a matching body) or something unexpected", async () => {
    const verified = emails({ email: "dev@example.com", primary: true, verified: true });
    expect(await isVerifiedGitHubEmail("t", "dev@example.com", githubAnswering(401, verified))).toBe(false);
    expect(await isVerifiedGitHubEmail("t", "dev@example.com", githubAnswering(200, { message: "ok" }))).toBe(false);
    expect(
      await isVerifiedGitHubEmail(
        "t",
        "dev@example.com",
        githubAnswering(200, [{ email: "dev@example.com", primary: "yes", verified: "yes" }]),
      ),
    ).toBe(false);
    const notJson = vi.fn<typeof fetch>(async () => new Response("<html>", { status: 200 }));
    expect(await isVerifiedGitHubEmail("t", "dev@example.com", notJson)).toBe(false);
  });

  it("refuses when GitHub cannot be reached", async () => {
    const offline = vi.fn<typeof fetch>(async () => {
      throw new TypeError("fetch failed");
    });
    expect(await isVerifiedGitHubEmail("t", "dev@example.com", offline)).toBe(false);
  });
});
