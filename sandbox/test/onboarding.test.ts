import { Dialog360Connect } from "360dialog-connect-button";
import { describe, expect, it } from "vitest";
import { isSameHttpOrigin } from "../urls";
import {
  PARTNER_ID,
  control,
  freshTimestamp,
  ioSign,
  ioUrl,
  offeredNumbers,
  onboard,
  openSignedIo,
  submitIo,
  startSandboxPerFile,
} from "./helpers";

// Lifecycle held at `pending` so these tests see channels exactly as onboarding left them.
const sandbox = startSandboxPerFile({ lifecycleUntil: "created" });

const CLIENT = /^[A-Za-z0-9]{6}CL$/;
const CHANNEL = /^[A-Za-z0-9]{6}CH$/;

describe("onboarding submission", () => {
  it("redirects with client, bracketed channels, and the echoed state", async () => {
    const result = await onboard(sandbox(), { email: "first@example.com", numbers: 2, state: "st ate/1" });
    expect(result.client).toMatch(CLIENT);
    expect(result.channels).toHaveLength(2);
    for (const id of result.channels) expect(id).toMatch(CHANNEL);
    expect(result.location).toBe(
      `http://portal.test:3000/onboarding?client=${result.client}&channels=[${result.channels.join(",")}]&state=st%20ate%2F1`,
    );
  });

  it("lists revoked numbers of a returning client, in the format the Connect Button parses", async () => {
    const first = await onboard(sandbox(), { email: "back@example.com", numbers: 2 });
    const second = await onboard(sandbox(), {
      email: "BACK@example.com",
      numbers: 1,
      revoke: [first.channels[0] ?? ""],
    });
    expect(second.client).toBe(first.client);
    expect(second.location).toBe(
      `http://portal.test:3000/onboarding?client=${first.client}&channels=[${second.channels[0]}]&revoked=[${first.channels[0]}]`,
    );
    // The real package's parser, fed the query part exactly as the popup would see it.
    const parsed = new Dialog360Connect({ partnerId: "testPA" }).processCallback(new URL(second.location).search);
    expect(parsed).toEqual({ client: first.client, channels: second.channels, revokedChannels: [first.channels[0]] });

    const state = (
      await control<{ channels: { id: string; status: string; revokedAt: string | null }[] }>(
        sandbox(),
        "GET",
        "/state",
      )
    ).json;
    // A revocation removes the partner's access; the number's status at the Hub is left alone.
    const revoked = state.channels.find((c) => c.id === first.channels[0]);
    expect(revoked?.status).not.toBe("revoked");
    expect(revoked?.revokedAt).toEqual(expect.any(String));
    expect(state.channels.find((c) => c.id === first.channels[1])?.status).toBe("created");
  });

  it("offers a returning client's active numbers for revocation, with the client's name filled in", async () => {
    const first = await onboard(sandbox(), { email: "again@example.com", name: "Again Ltd", numbers: 1 });
    const { html } = await openSignedIo(sandbox(), { email: "again@example.com" });
    expect(html).toContain("Numbers to revoke");
    expect(html).toContain(`name="revoke" value="${first.channels[0]}"`);
    expect(html).toMatch(/id="name"[^>]* value="Again Ltd"/);
  });

  it("uses a same-origin redirect_url from the query and ignores a foreign one", async () => {
    const same = await openSignedIo(sandbox(), { redirect_url: "http://portal.test:3000/onboarding?x=1" });
    const sameResponse = await submitIo(sandbox(), [
      ["session", same.session],
      ["email", "r@example.com"],
      ["name", "R"],
      ["numbers", offeredNumbers(same.html)[0] ?? ""],
    ]);
    expect(sameResponse.headers.get("location")).toMatch(/^http:\/\/portal\.test:3000\/onboarding\?x=1&client=/);

    const foreign = await openSignedIo(sandbox(), { redirect_url: "http://evil.test/steal" });
    const foreignResponse = await submitIo(sandbox(), [
      ["session", foreign.session],
      ["email", "r@example.com"],
      ["name", "R"],
      ["numbers", offeredNumbers(foreign.html)[0] ?? ""],
    ]);
    expect(foreignResponse.headers.get("location")).toMatch(/^http:\/\/portal\.test:3000\/onboarding\?client=/);
  });

  it("ignores a javascript: or data: redirect_url", async () => {
    for (const redirect of [
      "javascript:alert(document.domain)//http://portal.test:3000/onboarding",
      "data:text/html,<script>alert(1)</script>",
    ]) {
      const page = await openSignedIo(sandbox(), { redirect_url: redirect });
      const response = await submitIo(sandbox(), [
        ["session", page.session],
        ["email", "j@example.com"],
        ["name", "J"],
        ["numbers", offeredNumbers(page.html)[0] ?? ""],
      ]);
      expect(response.headers.get("location"), redirect).toMatch(/^http:\/\/portal\.test:3000\/onboarding\?client=/);
    }
  });

  it("compares origins only between http(s) URLs", () => {
    expect(isSameHttpOrigin("http://portal.test:3000/a?b=1", "http://portal.test:3000/onboarding")).toBe(true);
    expect(isSameHttpOrigin("https://portal.test:3000/a", "http://portal.test:3000/onboarding")).toBe(false);
    // Opaque origins all serialize as "null": equal to each other, yet never the same site.
    expect(isSameHttpOrigin("javascript:alert(1)", "data:text/html,x")).toBe(false);
    expect(isSameHttpOrigin("data:text/html,x", "data:text/html,y")).toBe(false);
    expect(isSameHttpOrigin("not a url", "http://portal.test:3000/")).toBe(false);
  });

  it("answers the bad_form error page for a malformed form body", async () => {
    const response = await fetch(`${sandbox().url}/dashboard/app/${PARTNER_ID}`, {
      method: "POST",
      headers: { "content-type": "multipart/form-data; boundary=xyz" },
      body: '--xyz\r\nContent-Disposition: form-data; name="session"\r\n\r\nunterminated',
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('data-error-reason="bad_form"');
  });

  it("serves the same onboarding under /permissions, signature checks included", async () => {
    const ts = freshTimestamp();
    const permissionsUrl = (params: Record<string, string>): string =>
      `${sandbox().url}/dashboard/app/${PARTNER_ID}/permissions?${new URLSearchParams(params).toString()}`;
    const refused = await fetch(permissionsUrl({ email: "p@example.com" }));
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('data-error-reason="missing_signature"');

    const opened = await fetch(
      permissionsUrl({ email: "p@example.com", io_signature: ioSign(ts), io_timestamp: String(ts) }),
    );
    expect(opened.status).toBe(200);
    const html = await opened.text();
    const session = /name="session" value="([^"]+)"/.exec(html)?.[1] ?? "";
    expect(session).not.toBe("");
    const submitted = await fetch(`${sandbox().url}/dashboard/app/${PARTNER_ID}/permissions`, {
      method: "POST",
      body: new URLSearchParams([
        ["session", session],
        ["email", "p@example.com"],
        ["name", "P"],
        ["numbers", offeredNumbers(html)[0] ?? ""],
      ]),
      redirect: "manual",
    });
    expect(submitted.status).toBe(302);
    expect(submitted.headers.get("location")).toMatch(
      /^http:\/\/portal\.test:3000\/onboarding\?client=[A-Za-z0-9]{6}CL&channels=\[[A-Za-z0-9]{6}CH\]$/,
    );
  });

  it("re-renders with an alert when no number is chosen, and resubmission is idempotent", async () => {
    const { html, session } = await openSignedIo(sandbox(), {});
    const bad = await submitIo(sandbox(), [
      ["session", session],
      ["email", "x@example.com"],
      ["name", "X"],
    ]);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('role="alert"');

    const fields: [string, string][] = [
      ["session", session],
      ["email", "x@example.com"],
      ["name", "X"],
      ["numbers", offeredNumbers(html)[0] ?? ""],
    ];
    const ok = await submitIo(sandbox(), fields);
    const again = await submitIo(sandbox(), fields);
    expect(ok.status).toBe(302);
    expect(again.headers.get("location")).toBe(ok.headers.get("location"));
    const state = (await control<{ clients: unknown[]; channels: unknown[] }>(sandbox(), "GET", "/state")).json;
    expect(state.clients).toHaveLength(1);
    expect(state.channels).toHaveLength(1);
  });

  it("refuses an unknown session and numbers that were not offered", async () => {
    const unknown = await submitIo(sandbox(), [
      ["session", "nope"],
      ["email", "x@example.com"],
      ["name", "X"],
    ]);
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('data-error-reason="unknown_session"');

    const { session } = await openSignedIo(sandbox(), {});
    const forged = await submitIo(sandbox(), [
      ["session", session],
      ["email", "x@example.com"],
      ["name", "X"],
      ["numbers", "+19999999999"],
    ]);
    expect(forged.status).toBe(400);
  });

  it("renders labelled fields and a named submit button", async () => {
    const { html } = await openSignedIo(sandbox(), { email: "l@example.com", name: "Label Co" });
    expect(html).toMatch(/<label for="email">Email address<input id="email"/);
    expect(html).toMatch(/<label for="name">Client name<input id="name"[^>]*value="Label Co"/);
    expect(html).toContain("<legend>Phone numbers to connect</legend>");
    expect(html).toContain("Grant API-key permission to the partner");
    expect(html).toContain('<button type="submit">Connect numbers</button>');
    expect(offeredNumbers(html)).toHaveLength(3);
  });

  it("offers the Connect Button's requestedNumber first, even with its unencoded plus sign", async () => {
    const ts = freshTimestamp();
    const url = `${ioUrl(sandbox(), { io_signature: ioSign(ts), io_timestamp: String(ts) })}&number=+4915112345678`;
    const html = await (await fetch(url)).text();
    expect(offeredNumbers(html)[0]).toBe("+4915112345678");
  });
});
