import { renderMagicLinkEmail } from "./email";
import { buildMagicLink } from "./urls";

/** The slice of a nodemailer transport the sender needs; tests pass a fake. */
export type MailTransport = {
  sendMail(message: { to: string; from: string; subject: string; text: string; html: string }): Promise<{
    rejected?: unknown[];
    pending?: unknown[];
  }>;
};

export type MagicLinkRequest = { identifier: string; url: string; expires: Date };

export class MagicLinkDeliveryError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "MagicLinkDeliveryError";
  }
}

/**
 * Mails the sign-in link. The link Auth.js hands over is built from the request's origin, which
 * on some paths (server actions) comes from the Host header; it is rebuilt on APP_URL here, so a
 * forged Host can never put an attacker's origin (and the token) into the email.
 * Errors name neither the link nor the token.
 */
export async function sendMagicLink(
  request: MagicLinkRequest,
  { appUrl, from, transport }: { appUrl: string; from: string; transport: MailTransport },
): Promise<void> {
  const url = buildMagicLink(request.url, appUrl);
  const mail = renderMagicLinkEmail({ url, expires: request.expires });
  let result: Awaited<ReturnType<MailTransport["sendMail"]>>;
  try {
    result = await transport.sendMail({ to: request.identifier, from, ...mail });
  } catch (error) {
    const reason = error instanceof Error ? error.message : "unknown error";
    throw new MagicLinkDeliveryError(`The sign-in email could not be sent: ${reason}`);
  }
  const failed = [...(result.rejected ?? []), ...(result.pending ?? [])].filter(Boolean);
  if (failed.length > 0) throw new MagicLinkDeliveryError("The mail server did not accept the sign-in email.");
}
