import { describe, expect, it } from "vitest";
import { messagingWebhookUrlProblem } from "./messaging-webhook-url";

describe("messagingWebhookUrlProblem", () => {
  const real = { hubIsLocal: false };
  const local = { hubIsLocal: true };

  it("accepts a public https URL, against the real Hub and the sandbox", () => {
    expect(messagingWebhookUrlProblem("https://hooks.example.com/whatsapp", real)).toBeNull();
    expect(messagingWebhookUrlProblem("https://hooks.example.com/whatsapp", local)).toBeNull();
  });

  it("refuses what 360dialog refuses: an underscore in the host, a port, plain http", () => {
    expect(messagingWebhookUrlProblem("https://my_hooks.example.com/", real)).toMatch(/underscore/);
    expect(messagingWebhookUrlProblem("https://my_hooks.example.com/", local)).toMatch(/underscore/);
    expect(messagingWebhookUrlProblem("https://hooks.example.com:8443/", real)).toMatch(/port/);
    expect(messagingWebhookUrlProblem("http://hooks.example.com/", real)).toMatch(/https/);
    expect(messagingWebhookUrlProblem("ftp://hooks.example.com/", real)).toMatch(/https/);
    expect(messagingWebhookUrlProblem("not a url", real)).toMatch(/not a URL/);
  });

  it("allows a loopback URL with a port only for the local sandbox", () => {
    expect(messagingWebhookUrlProblem("http://localhost:3000/api/webhooks/messages", local)).toBeNull();
    expect(messagingWebhookUrlProblem("http://127.0.0.1:3000/api/webhooks/messages", real)).toMatch(/loopback/);
  });
});
