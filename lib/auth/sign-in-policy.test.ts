import { describe, expect, it, vi } from "vitest";
import { decideSignIn, type SignInEffects } from "./sign-in-policy";

function effects(githubSays: boolean, mailAllowed = true) {
  return {
    allowMagicLink: vi.fn<SignInEffects["allowMagicLink"]>(async () => mailAllowed),
    syncRole: vi.fn<SignInEffects["syncRole"]>(async () => {}),
    isVerifiedGitHubEmail: vi.fn<SignInEffects["isVerifiedGitHubEmail"]>(async () => githubSays),
    markEmailVerified: vi.fn<SignInEffects["markEmailVerified"]>(async () => {}),
  };
}

const github = { provider: "github", type: "oauth", access_token: "gho_token" };

describe("decideSignIn", () => {
  it("lets a magic-link request through without touching the role", async () => {
    const fx = effects(false);
    expect(
      await decideSignIn({ user: { email: "a@example.com" }, account: null, email: { verificationRequest: true } }, fx),
    ).toBe(true);
    expect(fx.syncRole).not.toHaveBeenCalled();
  });

  it("sends a throttled magic-link request back to /login with the error instead of mailing", async () => {
    const fx = effects(false, false);
    const attempt = { user: { email: "a@example.com" }, account: null, email: { verificationRequest: true } };
    expect(await decideSignIn(attempt, fx)).toBe("/login?error=TooManyEmails");
    expect(fx.allowMagicLink).toHaveBeenCalledWith("a@example.com");
  });

  it("syncs the role when a magic link is followed", async () => {
    const fx = effects(false);
    const account = { provider: "nodemailer", type: "email" };
    expect(await decideSignIn({ user: { id: "u1", email: "a@example.com" }, account }, fx)).toBe(true);
    expect(fx.syncRole).toHaveBeenCalledWith("a@example.com");
    expect(fx.isVerifiedGitHubEmail).not.toHaveBeenCalled();
  });

  it("refuses a GitHub sign-in whose address GitHub has not verified as primary", async () => {
    const fx = effects(false);
    expect(await decideSignIn({ user: { id: "new-uuid", email: "victim@example.com" }, account: github }, fx)).toBe(
      false,
    );
    expect(fx.isVerifiedGitHubEmail).toHaveBeenCalledWith("gho_token", "victim@example.com");
    expect(fx.markEmailVerified).not.toHaveBeenCalled();
    expect(fx.syncRole).not.toHaveBeenCalled();
  });

  it("lets a verified GitHub address in and marks the stored user's address verified", async () => {
    const fx = effects(true);
    expect(await decideSignIn({ user: { id: "cuser1", email: "dev@example.com" }, account: github }, fx)).toBe(true);
    expect(fx.isVerifiedGitHubEmail).toHaveBeenCalledWith("gho_token", "dev@example.com");
    expect(fx.markEmailVerified).toHaveBeenCalledWith("cuser1");
  });

  it("refuses GitHub without a token or an address, without asking GitHub", async () => {
    const fx = effects(true);
    expect(
      await decideSignIn({ user: { email: "dev@example.com" }, account: { provider: "github", type: "oauth" } }, fx),
    ).toBe(false);
    expect(await decideSignIn({ user: { email: null }, account: github }, fx)).toBe(false);
    expect(fx.isVerifiedGitHubEmail).not.toHaveBeenCalled();
  });
});
