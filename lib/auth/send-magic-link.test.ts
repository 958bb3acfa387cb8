import { describe, expect, it } from "vitest";
import { MagicLinkDeliveryError, sendMagicLink, type MailTransport } from "./send-magic-link";

const APP = "https://portal.example.com";
type Sent = Parameters<MailTransport["sendMail"]>[0];

function fakeTransport(result: Awaited<ReturnType<MailTransport["sendMail"]>> = { rejected: [], pending: [] }) {
  const sent: Sent[] = [];
  const transport: MailTransport = {
    sendMail: async (message) => {
      sent.push(message);
      return result;
    },
  };
  return { sent, transport };
}

// Auth.js builds the link from the request origin; the callbackUrl already went through the
// redirect callback, so it is on APP_URL.
const request = (origin: string) => ({
  identifier: "client@example.com",
  url: `${origin}/api/auth/callback/nodemailer?${new URLSearchParams({ callbackUrl: `${APP}/onboarding`, token: "tok123", email: "client@example.com" })}`,
  expires: new Date(Date.now() + 30 * 60_000),
});

describe("sendMagicLink", () => {
  it("mails text and HTML with a link on APP_URL even when Auth.js built it from a forged Host", async () => {
    const { sent, transport } = fakeTransport();
    await sendMagicLink(request("https://attacker.example"), {
      appUrl: APP,
      from: "Portal <portal@example.com>",
      transport,
    });
    expect(sent).toHaveLength(1);
    const mail = sent[0]!;
    expect(mail.to).toBe("client@example.com");
    expect(mail.from).toBe("Portal <portal@example.com>");
    expect(mail.subject).toBe("Sign in to the Onboarding Portal");
    expect(mail.text).not.toContain("attacker.example");
    expect(mail.html).not.toContain("attacker.example");
    const link = /https?:\/\/\S+/.exec(mail.text)?.[0];
    expect(link).toBeDefined();
    const url = new URL(link!);
    expect(url.origin).toBe(APP);
    expect(url.searchParams.get("token")).toBe("tok123");
    expect(url.searchParams.get("callbackUrl")).toBe(`${APP}/onboarding`);
  });

  it("fails when the server rejects the recipient, naming no token", async () => {
    const { transport } = fakeTransport({ rejected: ["client@example.com"] });
    const error = await sendMagicLink(request(APP), { appUrl: APP, from: "p@example.com", transport }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MagicLinkDeliveryError);
    expect(String((error as Error).message)).not.toContain("tok123");
  });

  it("wraps transport failures without the link", async () => {
    const transport: MailTransport = {
      sendMail: async () => {
        throw new Error("connect ECONNREFUSED 127.0.0.1:1025");
      },
    };
    const error = (await sendMagicLink(request(APP), { appUrl: APP, from: "p@example.com", transport }).catch(
      (e: unknown) => e,
    )) as Error;
    expect(error).toBeInstanceOf(MagicLinkDeliveryError);
    expect(error.message).toContain("ECONNREFUSED");
    expect(error.message).not.toContain("tok123");
  });
});
