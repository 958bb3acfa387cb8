import { createUser, testDb } from "./db";

/** A keyed channel with one test message sent, as the messaging receiver's tests need it. */
export async function keyedChannelWithMessage(suffix = "1", messageId = "wamid.A") {
  const user = await createUser(`owner${suffix}@example.com`);
  const client = await testDb().client.create({
    data: { hubId: `cl${suffix}`, userId: user.id, bindingState: "BOUND" },
  });
  const channel = await testDb().channel.create({
    data: { hubId: `ch${suffix}`, clientId: client.id, status: "RUNNING", keyState: "STORED" },
  });
  const key = await testDb().apiKey.create({
    data: { channelId: channel.id, liveChannelId: channel.id, ciphertext: new Uint8Array(8), keyVersion: 1 },
  });
  const message = await testDb().message.create({
    data: { channelId: channel.id, hubMessageId: messageId, recipientLast4: "5678", kind: "template" },
  });
  return { channel, key, message };
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A messaging webhook in the Cloud API envelope 360dialog forwards, with one status and any inbound messages. */
export function cloudApiStatusEnvelope(
  status: { id: string; status: string; timestamp: string } & { [key: string]: JsonValue },
  inbound: Array<{ [key: string]: JsonValue }> = [],
): { [key: string]: JsonValue } {
  return {
    object: "whatsapp_business_account",
    entry: [
      {
        id: "waba-1",
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: "15550001111", phone_number_id: "pn-1" },
              statuses: [{ recipient_id: "4915112345678", ...status }],
              ...(inbound.length > 0 ? { messages: inbound } : {}),
            },
          },
        ],
      },
    ],
  };
}
