import { describe, expect, it } from "vitest";
import { messagingAddressProblem, messagingWebhookUrlProblem } from "./messaging-webhook-url";

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

describe("messagingAddressProblem", () => {
  it("sends a channel's key only to 360dialog's https hosts, or to the local sandbox", () => {
    expect(messagingAddressProblem("https://waba-v2.360dialog.io", { hubIsLocal: false })).toBeNull();
    expect(messagingAddressProblem("http://waba-v2.360dialog.io", { hubIsLocal: false })).not.toBeNull();
    expect(messagingAddressProblem("https://waba-v2.360dialog.io.evil.example", { hubIsLocal: false })).not.toBeNull();
    expect(messagingAddressProblem("https://169.254.169.254", { hubIsLocal: false })).not.toBeNull();
    expect(messagingAddressProblem("https://waba-v2.360dialog.io:8443", { hubIsLocal: false })).not.toBeNull();
    expect(messagingAddressProblem("http://localhost:8082", { hubIsLocal: true })).toBeNull();
    expect(messagingAddressProblem("file:///etc/passwd", { hubIsLocal: true })).not.toBeNull();
  });
});
