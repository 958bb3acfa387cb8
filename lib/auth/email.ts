/** The magic-link email: plain text plus simple HTML. No token or link is ever logged. */

export const MAGIC_LINK_SUBJECT = "Sign in to the Onboarding Portal";

export type MagicLinkEmail = { subject: string; text: string; html: string };

function escapeHtml(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

function validity(expires: Date, now: Date): string {
  const minutes = Math.max(1, Math.round((expires.getTime() - now.getTime()) / 60_000));
  if (minutes < 90) return `${minutes} minute${minutes === 1 ? "" : "s"}`;
  const hours = Math.round(minutes / 60);
  return `${hours} hour${hours === 1 ? "" : "s"}`;
}

export function renderMagicLinkEmail({
  url,
  expires,
  now = new Date(),
}: {
  url: string;
  expires: Date;
  now?: Date;
}): MagicLinkEmail {
  const valid = validity(expires, now);
  const text = [
    "Sign in to the Onboarding Portal",
    "",
    "Open this link to sign in:",
    url,
    "",
    `The link works once and expires in ${valid}.`,
    "If you did not ask to sign in, you can ignore this email.",
    "",
  ].join("\n");
  const href = escapeHtml(url);
  const html = `<!doctype html>
<html lang="en">
  <body style="margin:0;padding:24px;background:#f8fafc;font-family:Helvetica,Arial,sans-serif;color:#0f172a;">
    <table role="presentation" width="100%" cellspacing="0" cellpadding="0" style="max-width:520px;margin:0 auto;background:#ffffff;border:1px solid #e2e8f0;border-radius:12px;">
      <tr><td style="padding:28px 28px 8px;font-size:20px;font-weight:bold;">Sign in to the Onboarding Portal</td></tr>
      <tr><td style="padding:8px 28px;font-size:15px;line-height:22px;color:#475569;">Click the button to sign in. The link works once and expires in ${escapeHtml(valid)}.</td></tr>
      <tr><td style="padding:16px 28px;">
        <a href="${href}" style="display:inline-block;padding:12px 20px;border-radius:8px;background:#0d9488;color:#ffffff;font-weight:bold;text-decoration:none;">Sign in</a>
      </td></tr>
      <tr><td style="padding:8px 28px 28px;font-size:13px;line-height:20px;color:#64748b;">If you did not ask to sign in, you can ignore this email.</td></tr>
    </table>
  </body>
</html>
`;
  return { subject: MAGIC_LINK_SUBJECT, text, html };
}
