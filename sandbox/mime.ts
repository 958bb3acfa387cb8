/**
 * Just enough MIME for mails the portal sends (nodemailer): headers with RFC 2047 words,
 * multipart trees, quoted-printable and base64 bodies, charsets TextDecoder knows.
 */

export interface ParsedMail {
  headers: Record<string, string>;
  from: string;
  to: string[];
  subject: string;
  text: string | null;
  html: string | null;
  links: string[];
}

interface Part {
  headers: Record<string, string>;
  body: Buffer;
}

function splitHeadersAndBody(raw: Buffer): Part {
  const text = raw.toString("latin1");
  const match = /\r?\n\r?\n/.exec(text);
  const headEnd = match ? match.index : text.length;
  const bodyStart = match ? match.index + match[0].length : text.length;
  const headers: Record<string, string> = {};
  // Unfold continuation lines before splitting, per RFC 5322.
  for (const line of text
    .slice(0, headEnd)
    .replace(/\r?\n[ \t]+/g, " ")
    .split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = Buffer.from(line.slice(colon + 1).trim(), "latin1").toString("utf8");
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  // latin1 maps bytes 1:1 to chars, so the char offset is the byte offset.
  return { headers, body: raw.subarray(bodyStart) };
}

function param(header: string | undefined, name: string): string | null {
  if (!header) return null;
  const match = new RegExp(`;\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, "i").exec(header);
  return match ? (match[1] ?? match[2] ?? null) : null;
}

export function decodeQuotedPrintable(input: string): Buffer {
  // Soft line breaks first, so "=3D" split across lines by the encoder is rejoined before decoding.
  const joined = input.replace(/=\r?\n/g, "");
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i += 1) {
    const ch = joined[i] ?? "";
    const hex = joined.slice(i + 1, i + 3);
    if (ch === "=" && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(joined.charCodeAt(i) & 0xff);
    }
  }
  return Buffer.from(bytes);
}

function decodeBody(part: Part): Buffer {
  const encoding = (part.headers["content-transfer-encoding"] ?? "7bit").trim().toLowerCase();
  if (encoding === "quoted-printable") return decodeQuotedPrintable(part.body.toString("latin1"));
  if (encoding === "base64") return Buffer.from(part.body.toString("latin1").replace(/\s+/g, ""), "base64");
  return part.body;
}

function toText(bytes: Buffer, charset: string | null): string {
  try {
    return new TextDecoder(charset ?? "utf-8").decode(bytes);
  } catch {
    return new TextDecoder("utf-8").decode(bytes);
  }
}

/** RFC 2047 encoded words (`=?UTF-8?Q?...?=`, `=?UTF-8?B?...?=`), as nodemailer writes non-ASCII subjects. */
export function decodeWords(value: string): string {
  return value
    .replace(/(=\?[^?]+\?[QqBb]\?[^?]*\?=)\s+(?==\?)/g, "$1")
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_all, charset: string, kind: string, data: string) => {
      const bytes =
        kind.toUpperCase() === "B" ? Buffer.from(data, "base64") : decodeQuotedPrintable(data.replace(/_/g, " "));
      return toText(bytes, charset);
    });
}

function leaves(part: Part, out: Part[]): void {
  const type = part.headers["content-type"] ?? "text/plain";
  const boundary = param(type, "boundary");
  if (!/^multipart\//i.test(type) || !boundary) {
    out.push(part);
    return;
  }
  const body = part.body.toString("latin1");
  const delimiter = `--${boundary}`;
  const sections = body.split(delimiter).slice(1);
  for (const section of sections) {
    if (section.startsWith("--")) break;
    const content = section.replace(/^\r?\n/, "").replace(/\r?\n$/, "");
    leaves(splitHeadersAndBody(Buffer.from(content, "latin1")), out);
  }
}

function addresses(value: string | undefined): string[] {
  if (!value) return [];
  return [...decodeWords(value).matchAll(/[^\s<>,;"]+@[^\s<>,;"]+/g)].map((m) => m[0].toLowerCase());
}

function decodeEntities(value: string): string {
  return value
    .replace(/&#x([0-9a-f]+);/gi, (_m, hex: string) => String.fromCodePoint(Number.parseInt(hex, 16)))
    .replace(/&#([0-9]+);/g, (_m, dec: string) => String.fromCodePoint(Number.parseInt(dec, 10)))
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

export function extractLinks(text: string | null, html: string | null): string[] {
  const found: string[] = [];
  if (html)
    for (const m of html.matchAll(/href\s*=\s*(?:"([^"]*)"|'([^']*)')/gi))
      found.push(decodeEntities(m[1] ?? m[2] ?? ""));
  if (text) for (const m of text.matchAll(/https?:\/\/[^\s<>"')\]]+/g)) found.push(m[0].replace(/[.,;:!?]+$/, ""));
  return [...new Set(found.filter((l) => /^https?:\/\//i.test(l)))];
}

export function parseMail(raw: Buffer): ParsedMail {
  const root = splitHeadersAndBody(raw);
  const parts: Part[] = [];
  leaves(root, parts);
  let text: string | null = null;
  let html: string | null = null;
  for (const part of parts) {
    const type = (part.headers["content-type"] ?? "text/plain").toLowerCase();
    if (/attachment/i.test(part.headers["content-disposition"] ?? "")) continue;
    const decoded = toText(decodeBody(part), param(part.headers["content-type"], "charset"));
    if (type.startsWith("text/html") && html === null) html = decoded;
    else if (type.startsWith("text/plain") && text === null) text = decoded;
  }
  return {
    headers: root.headers,
    from: decodeWords(root.headers.from ?? ""),
    to: addresses(root.headers.to),
    subject: decodeWords(root.headers.subject ?? ""),
    text,
    html,
    links: extractLinks(text, html),
  };
}
