import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { alphanumeric } from "./ids";
import type { Logger } from "./logger";
import { parseMail } from "./mime";

export interface CaughtMail {
  id: string;
  receivedAt: string;
  envelope: { from: string | null; to: string[] };
  from: string;
  to: string[];
  subject: string;
  text: string | null;
  html: string | null;
  links: string[];
}

const KEEP = 500;

/** Mail is test evidence, not state: it lives in memory only and reset clears it. */
export class MailStore {
  messages: CaughtMail[] = [];

  add(mail: CaughtMail): void {
    this.messages.push(mail);
    if (this.messages.length > KEEP) this.messages.splice(0, this.messages.length - KEEP);
  }

  /** Newest last; matches the envelope recipients and the To header, case-insensitively. */
  list(to: string | null): CaughtMail[] {
    if (!to) return [...this.messages];
    const wanted = to.trim().toLowerCase();
    return this.messages.filter((m) => m.envelope.to.includes(wanted) || m.to.includes(wanted));
  }

  clear(): void {
    this.messages = [];
  }
}

export interface MailCatcher {
  port: number;
  close(): Promise<void>;
}

/** Plain SMTP, no TLS, no auth: nodemailer with `smtp://127.0.0.1:1025` talks to it as is. */
export async function startMailCatcher(
  host: string,
  port: number,
  store: MailStore,
  logger: Logger,
): Promise<MailCatcher> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    logger: false,
    // close() waits this long for open sessions before cutting them, so tests and SIGINT stay quick.
    closeTimeout: 1000,
    banner: "360dialog Hub sandbox mail catcher",
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("error", (error: Error) => callback(error));
      stream.on("end", () => {
        try {
          const parsed = parseMail(Buffer.concat(chunks));
          const envelopeFrom = session.envelope.mailFrom;
          store.add({
            id: alphanumeric(12),
            receivedAt: new Date().toISOString(),
            envelope: {
              from: envelopeFrom ? envelopeFrom.address : null,
              to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
            },
            from: parsed.from,
            to: parsed.to,
            subject: parsed.subject,
            text: parsed.text,
            html: parsed.html,
            links: parsed.links,
          });
          logger.info(`mail to ${session.envelope.rcptTo.map((r) => r.address).join(", ")}: ${parsed.subject}`);
          callback();
        } catch (error) {
          callback(error instanceof Error ? error : new Error(String(error)));
        }
      });
    },
  });
  server.on("error", (error: Error) => logger.error(`smtp: ${error.message}`));
  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.server.once("error", onError);
    server.listen(port, host, () => {
      server.server.off("error", onError);
      resolve();
    });
  });
  const address = server.server.address() as AddressInfo;
  return {
    port: address.port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
