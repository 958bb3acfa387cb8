import nodemailer from "nodemailer";
import { describe, expect, it } from "vitest";
import { control, startSandboxPerFile } from "./helpers";

interface MailView {
  envelope: { to: string[] };
  from: string;
  to: string[];
  subject: string;
  text: string | null;
  html: string | null;
  links: string[];
}

const sandbox = startSandboxPerFile();

// Long enough that quoted-printable must soft-wrap it, with `=` and `&` that QP and HTML encode.
const LINK =
  "http://localhost:3000/api/auth/callback/nodemailer?callbackUrl=http%3A%2F%2Flocalhost%3A3000%2Fonboarding%3Fstep%3Dconnect" +
  "&token=0f9e8d7c6b5a49382716051f2e3d4c5b6a79881726354453627180f9e8d7c6b5&email=someone%40example.com";

function message(to: string, subject: string) {
  return {
    from: "Onboarding Portal <portal@localhost>",
    to,
    subject,
    text: `Grüße! Sign in with this link:\n${LINK}\n\nIf you did not ask for it, ignore this mail.`,
    html: `<p>Grüße!</p><p><a href="${LINK.replaceAll("&", "&amp;")}">Sign in</a></p>`,
    textEncoding: "quoted-printable" as const,
  };
}

describe("mail catcher", () => {
  it("parses a quoted-printable mail sent over SMTP and extracts the long link exactly", async () => {
    // Proof that the case under test really is soft-wrapped QP with =3D, built by nodemailer itself.
    const raw = await nodemailer
      .createTransport({ streamTransport: true, buffer: true })
      .sendMail(message("someone@example.com", "Sign in"));
    const rawText = Buffer.isBuffer(raw.message) ? raw.message.toString("utf8") : "";
    expect(rawText).toContain("=3D");
    expect(rawText).toMatch(/=\r?\n/);
    expect(rawText).not.toContain(LINK);

    const transport = nodemailer.createTransport({ host: "127.0.0.1", port: sandbox().smtpPort, secure: false });
    await transport.sendMail(message("Someone@Example.com", "Sign in to Grüße Portal"));
    await transport.sendMail(message("other@example.com", "Second"));

    const { json } = await control<{ count: number; messages: MailView[] }>(
      sandbox(),
      "GET",
      "/mail?to=someone@example.com",
    );
    expect(json.count).toBe(1);
    const mail = json.messages[0];
    expect(mail?.subject).toBe("Sign in to Grüße Portal");
    expect(mail?.from).toBe("Onboarding Portal <portal@localhost>");
    expect(mail?.to).toEqual(["someone@example.com"]);
    expect(mail?.text).toContain("Grüße! Sign in with this link:");
    expect(mail?.text).toContain(LINK);
    expect(mail?.html).toContain("<p>Grüße!</p>");
    expect(mail?.links).toEqual([LINK]);

    const all = (await control<{ messages: MailView[] }>(sandbox(), "GET", "/mail")).json.messages;
    expect(all.map((m) => m.subject)).toEqual(["Sign in to Grüße Portal", "Second"]);

    await control(sandbox(), "POST", "/reset");
    expect((await control<{ count: number }>(sandbox(), "GET", "/mail")).json.count).toBe(0);
  });

  it("handles nodemailer's own choice of encoding (no textEncoding forced)", async () => {
    const plain: Partial<ReturnType<typeof message>> = message("auto@example.com", "Auto");
    delete plain.textEncoding;
    const transport = nodemailer.createTransport({ host: "127.0.0.1", port: sandbox().smtpPort, secure: false });
    await transport.sendMail(plain);
    const { json } = await control<{ messages: MailView[] }>(sandbox(), "GET", "/mail?to=auto@example.com");
    expect(json.messages[0]?.links).toEqual([LINK]);
    expect(json.messages[0]?.text).toContain("Grüße!");
  });
});
