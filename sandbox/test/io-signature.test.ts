import { describe, expect, it } from "vitest";
import { control, ioSign, ioUrl, nowSeconds, openSignedIo, startSandboxPerFile } from "./helpers";

interface Check {
  outcome: string;
  reason: string;
}
interface StateView {
  signatureChecks: Check[];
  signatureSummary: { accepted: number; refused: number; distinctAccepted: number };
}

const sandbox = startSandboxPerFile();

async function expectRefused(url: string, status: number, reason: string): Promise<void> {
  const response = await fetch(url);
  const html = await response.text();
  expect(response.status).toBe(status);
  expect(html).toContain(`data-error-reason="${reason}"`);
  expect(html).toContain(`<code id="error-reason">${reason}</code>`);
  expect(html).not.toContain('name="session"');
}

describe("IO signature on the onboarding page", () => {
  it("refuses a missing signature", async () => {
    await expectRefused(ioUrl(sandbox(), { email: "a@example.com" }), 400, "missing_signature");
    await expectRefused(ioUrl(sandbox(), { io_signature: ioSign(nowSeconds()) }), 400, "missing_signature");
    await expectRefused(ioUrl(sandbox(), { io_signature: "", io_timestamp: "" }), 400, "missing_signature");
  });

  it("refuses a malformed signature or timestamp", async () => {
    const ts = nowSeconds();
    await expectRefused(
      ioUrl(sandbox(), { io_signature: "abc", io_timestamp: String(ts) }),
      400,
      "malformed_signature",
    );
    await expectRefused(
      ioUrl(sandbox(), { io_signature: ioSign(ts).toUpperCase(), io_timestamp: String(ts) }),
      400,
      "malformed_signature",
    );
    await expectRefused(
      ioUrl(sandbox(), { io_signature: ioSign(ts), io_timestamp: `${ts}.5` }),
      400,
      "malformed_signature",
    );
  });

  it("refuses a wrong signature (other secret, other partner, other timestamp)", async () => {
    const ts = nowSeconds();
    await expectRefused(
      ioUrl(sandbox(), { io_signature: ioSign(ts, "another-secret"), io_timestamp: String(ts) }),
      403,
      "wrong_signature",
    );
    await expectRefused(
      ioUrl(sandbox(), { io_signature: ioSign(ts, undefined, "otherPA"), io_timestamp: String(ts) }),
      403,
      "wrong_signature",
    );
    await expectRefused(
      ioUrl(sandbox(), { io_signature: ioSign(ts - 1), io_timestamp: String(ts) }),
      403,
      "wrong_signature",
    );
  });

  it("refuses an expired signature and honours the configured maximum age", async () => {
    const old = nowSeconds() - 24 * 60 * 60 - 60;
    await expectRefused(
      ioUrl(sandbox(), { io_signature: ioSign(old), io_timestamp: String(old) }),
      403,
      "expired_signature",
    );
    await control(sandbox(), "PATCH", "/config", { signatureMaxAgeSeconds: 60 });
    const twoMinutes = nowSeconds() - 120;
    await expectRefused(
      ioUrl(sandbox(), { io_signature: ioSign(twoMinutes), io_timestamp: String(twoMinutes) }),
      403,
      "expired_signature",
    );
  });

  it("refuses a timestamp far in the future", async () => {
    const future = nowSeconds() + 3600;
    await expectRefused(
      ioUrl(sandbox(), { io_signature: ioSign(future), io_timestamp: String(future) }),
      403,
      "timestamp_in_future",
    );
  });

  it("refuses an unknown partner id", async () => {
    const ts = nowSeconds();
    await expectRefused(
      ioUrl(sandbox(), { io_signature: ioSign(ts, undefined, "nobodyPA"), io_timestamp: String(ts) }, "nobodyPA"),
      404,
      "unknown_partner",
    );
  });

  it("accepts a good signature once and refuses it the second time (consumed on GET)", async () => {
    const ts = nowSeconds();
    const first = await openSignedIo(sandbox(), { email: "a@example.com", name: "Acme" }, ts);
    expect(first.response.status).toBe(200);
    expect(first.session).toMatch(/^[A-Za-z0-9]{24}$/);
    expect(first.html).toContain('value="a@example.com"');
    await expectRefused(
      ioUrl(sandbox(), { io_signature: ioSign(ts), io_timestamp: String(ts) }),
      403,
      "signature_already_used",
    );

    const { json } = await control<StateView>(sandbox(), "GET", "/state");
    expect(json.signatureChecks.map((c) => `${c.outcome}:${c.reason}`)).toEqual([
      "accepted:valid",
      "refused:signature_already_used",
    ]);
    expect(json.signatureSummary).toEqual({ accepted: 1, refused: 1, distinctAccepted: 1 });
  });

  it("accepts two distinct fresh signatures and records no refusal", async () => {
    const ts = nowSeconds();
    expect((await openSignedIo(sandbox(), {}, ts)).response.status).toBe(200);
    expect((await openSignedIo(sandbox(), {}, ts - 1)).response.status).toBe(200);
    const { json } = await control<StateView>(sandbox(), "GET", "/state");
    expect(json.signatureSummary).toEqual({ accepted: 2, refused: 0, distinctAccepted: 2 });
  });

  it("opens without a signature when the requirement is switched off", async () => {
    await control(sandbox(), "PATCH", "/config", { ioSignatureRequired: false });
    const response = await fetch(ioUrl(sandbox(), { email: "b@example.com" }));
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('name="session"');
  });
});
