import { describe, expect, it } from "vitest";
import { parsePartnerWebhook } from "./partner-webhook";

// A channel object as the Partner API lists it, which is what 360dialog puts in `data`.
const channelObject = {
  id: "abc123CH",
  client_id: "cli456CL",
  client: { id: "cli456CL", name: "Acme", contact_info: { email: "owner@example.com" } },
  status: "running",
  account_mode: "live",
  setup_info: { phone_number: "+15550001111", phone_name: "Acme" },
  waba_account: { id: "waba1WA", namespace: "ns", fb_account_status: "approved" },
  current_limit: "TIER_1K",
};

describe("parsePartnerWebhook", () => {
  it("reads 360dialog's envelope with the channel object as data", () => {
    expect(parsePartnerWebhook({ id: "evt-1", event: "channel_running", data: channelObject })).toEqual({
      id: "evt-1",
      name: "channel_running",
      type: "channel_running",
      channel: {
        hubId: "abc123CH",
        clientHubId: "cli456CL",
        status: "running",
        phoneNumber: "+15550001111",
        messagingLimit: "TIER_1K",
        qualityRating: null,
      },
      phoneNumber: "+15550001111",
      detail: null,
      reportedAt: null,
    });
  });

  it("takes the Hub's own time of the report: the channel's modified_at, else the event's timestamp", () => {
    const modified = { ...channelObject, modified_at: "2026-11-30T08:00:00.000Z" };
    expect(parsePartnerWebhook({ event: "channel_live", data: modified })?.reportedAt).toEqual(
      new Date("2026-11-30T08:00:00.000Z"),
    );
    expect(
      parsePartnerWebhook({ event: "channel_live", data: { ...channelObject, timestamp: "1800000000" } })?.reportedAt,
    ).toEqual(new Date(1_800_000_000_000));
    expect(
      parsePartnerWebhook({ event: "channel_live", data: { ...channelObject, modified_at: "yesterday" } })?.reportedAt,
    ).toBeNull();
  });

  it("reads the flat form, where data names channel_id and phone_number", () => {
    const event = parsePartnerWebhook({
      id: "evt-2",
      event: "channel_created",
      data: { channel_id: "abc123CH", client_id: "cli456CL", phone_number: "+15550001111", status: "created" },
    });
    expect(event?.channel).toMatchObject({ hubId: "abc123CH", clientHubId: "cli456CL", phoneNumber: "+15550001111" });
  });

  it("reads the seed's {type, payload.channel} and the channel_status_ spelling", () => {
    const event = parsePartnerWebhook({
      type: "channel_status_running",
      payload: { channel: { id: "abc123CH", client_id: "cli456CL", status: "running" } },
    });
    expect(event).toMatchObject({
      id: null,
      type: "channel_running",
      channel: { hubId: "abc123CH", status: "running" },
    });
  });

  it("reads the messaging limit from the seed's quality event `value`", () => {
    const event = parsePartnerWebhook({
      type: "phone_number_quality_changed",
      payload: { channel: { id: "abc123CH" }, value: "TIER_10K", event: "UPGRADE" },
    });
    expect(event).toMatchObject({
      type: "quality_changed",
      channel: { hubId: "abc123CH", messagingLimit: "TIER_10K" },
    });
  });

  it("keeps a restriction that names only a phone number", () => {
    const event = parsePartnerWebhook({
      id: "evt-3",
      event: "account_restriction",
      data: { phone_number: "+15550001111", violation_type: "SPAM" },
    });
    expect(event).toMatchObject({
      type: "account_restriction",
      channel: null,
      phoneNumber: "+15550001111",
      detail: "SPAM",
    });
  });

  it("maps other channel statuses and unknown names without failing", () => {
    expect(parsePartnerWebhook({ event: "channel_verified", data: channelObject })?.type).toBe("channel_status");
    expect(parsePartnerWebhook({ event: "template_status_update", data: { id: "t1" } })).toMatchObject({
      type: "unknown",
      channel: null,
    });
    expect(parsePartnerWebhook({ event: "client_created", data: { id: "cli456CL" } })?.channel).toBeNull();
  });

  it.each([[null], [[]], ["text"], [{ data: channelObject }], [{ event: "  ", data: {} }]])(
    "finds no event type in %j",
    (body) => {
      expect(parsePartnerWebhook(body)).toBeNull();
    },
  );
});
