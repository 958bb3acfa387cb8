import { randomBytes, randomUUID } from "node:crypto";

const ALPHANUMERIC = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/** Random [A-Za-z0-9]; rejection sampling keeps the distribution uniform. */
export function alphanumeric(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += ALPHANUMERIC[byte % 62];
    }
  }
  return out;
}

// 360dialog ids are short alphanumerics whose two-letter suffix names the kind
// (partner `…PA`, client `…CL`, channel `…CH`); the portal must treat them as opaque strings.
export const newClientId = (): string => `${alphanumeric(6)}CL`;
export const newChannelId = (): string => `${alphanumeric(6)}CH`;
export const newWabaId = (): string => `${alphanumeric(6)}WA`;
export const newApiKey = (): string => `${alphanumeric(30)}AK`;
export const newApiKeyId = (): string => alphanumeric(12);
export const newAppId = (): string => `${alphanumeric(6)}AP`;
export const newEventId = (): string => randomUUID();
export const newSessionId = (): string => alphanumeric(24);
export const newToken = (): string => alphanumeric(48);

/** Fictional NANP 555-01xx range, unique per sandbox through a persisted counter. */
export function phoneNumberFor(sequence: number): string {
  return `+1555${String(100000 + (sequence % 900000)).padStart(7, "0")}`;
}
