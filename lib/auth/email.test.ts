import { describe, expect, it } from "vitest";
import { MAGIC_LINK_SUBJECT, renderMagicLinkEmail } from "./email";

const url =
  "https://portal.example.com/api/auth/callback/nodemailer?callbackUrl=https%3A%2F%2Fportal.example.com%2F&token=abc&email=a%40b.co";
const now = new Date("2030-01-01T00:00:00Z");

describe("renderMagicLinkEmail", () => {
  const mail = renderMagicLinkEmail({ url, expires: new Date(now.getTime() + 30 * 60_000), now });

  it("has the portal's subject", () => {
    expect(mail.subject).toBe(MAGIC_LINK_SUBJECT);
    expect(mail.subject).toBe("Sign in to the Onboarding Portal");
  });

  it("puts the link verbatim in the text part, with its validity", () => {
    expect(mail.text).toContain(`\n${url}\n`);
    expect(mail.text).toContain("expires in 30 minutes");
  });

  it("HTML-escapes the link in the href", () => {
    expect(mail.html).toContain(`href="${url.replace(/&/g, "&amp;")}"`);
    expect(mail.html).not.toContain("&token");
  });

  it("escapes markup that could break out of the attribute", () => {
    const hostile = renderMagicLinkEmail({ url: 'https://p.example/"><script>x</script>', expires: now, now });
    expect(hostile.html).not.toContain("<script>");
    expect(hostile.html).toContain("&quot;&gt;&lt;script&gt;");
  });

  it("words long validities in hours", () => {
    expect(renderMagicLinkEmail({ url, expires: new Date(now.getTime() + 24 * 3600_000), now }).text).toContain(
      "expires in 24 hours",
    );
    expect(renderMagicLinkEmail({ url, expires: new Date(now.getTime() + 60_000), now }).text).toContain(
      "expires in 1 minute.",
    );
  });
});
