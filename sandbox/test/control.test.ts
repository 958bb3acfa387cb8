import { describe, expect, it } from "vitest";
import { PARTNER_ID, api, control, startTestSandbox, startSandboxPerFile } from "./helpers";

interface ErrorBody {
  meta: { success: boolean; http_code: number; developer_message: string };
}
interface ConfigView {
  partnerRedirectUrl: string;
  webhookUrl: string;
}

const sandbox = startSandboxPerFile();

const controlUrl = (path: string): string => `${sandbox().url}/__sandbox${path}`;

describe("control endpoints that change state", () => {
  it("refuse bodies a cross-site form can send (415) and change nothing", async () => {
    const attempts: [string, string, RequestInit][] = [
      [
        "POST",
        "/faults/api",
        { headers: { "content-type": "text/plain" }, body: JSON.stringify({ kind: "500", count: 5 }) },
      ],
      ["POST", "/faults/api", { headers: { "content-type": "application/x-www-form-urlencoded" }, body: "kind=500" }],
      ["POST", "/events", { body: new FormData() }],
      ["POST", "/reset", {}],
      [
        "PATCH",
        "/config",
        { headers: { "content-type": "text/plain" }, body: JSON.stringify({ ioSignatureRequired: false }) },
      ],
      ["DELETE", "/faults", {}],
    ];
    for (const [method, path, init] of attempts) {
      const response = await fetch(controlUrl(path), { method, ...init });
      expect(response.status, `${method} ${path}`).toBe(415);
      expect(((await response.json()) as { error: string }).error).toMatch(/application\/json/);
    }
    const state = (
      await control<{ faults: { api: unknown[] }; deliveries: unknown[]; config: { ioSignatureRequired: boolean } }>(
        sandbox(),
        "GET",
        "/state",
      )
    ).json;
    expect(state.faults.api).toEqual([]);
    expect(state.deliveries).toEqual([]);
    expect(state.config.ioSignatureRequired).toBe(true);
  });

  it("accept JSON with a charset, and reads stay open without a content type", async () => {
    const response = await fetch(controlUrl("/faults/api"), {
      method: "POST",
      headers: { "content-type": "Application/JSON; charset=utf-8" },
      body: JSON.stringify({ kind: "429" }),
    });
    expect(response.status).toBe(200);
    expect((await fetch(controlUrl("/state"))).status).toBe(200);
  });
});

describe("unknown paths and methods", () => {
  it("answer the Hub's error envelope under /api/v2", async () => {
    for (const [path, method] of [
      ["/nothing-here", "GET"],
      [`/partners/${PARTNER_ID}`, "DELETE"],
      [`/partners/${PARTNER_ID}/clients/x/y/z`, "GET"],
    ] as const) {
      const response = await api(sandbox(), path, { method });
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      expect(((await response.json()) as ErrorBody).meta).toMatchObject({ success: false, http_code: 404 });
    }
  });

  it("answer a JSON error under /__sandbox and an HTML page elsewhere", async () => {
    const control404 = await fetch(controlUrl("/nothing-here"));
    expect(control404.status).toBe(404);
    expect(((await control404.json()) as { error: string }).error).toBe("unknown sandbox control endpoint");
    const wrongMethod = await fetch(controlUrl("/state"), {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(wrongMethod.status).toBe(404);
    expect(await wrongMethod.json()).toMatchObject({ error: "unknown sandbox control endpoint" });

    const page = await fetch(`${sandbox().url}/nothing-here`);
    expect(page.status).toBe(404);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await page.text()).toContain('data-error-reason="not_found"');
  });
});

describe("partner URLs", () => {
  it("are reported live by /config and /state after the Partner API changed them", async () => {
    const patched = await api(sandbox(), `/partners/${PARTNER_ID}`, {
      method: "PATCH",
      body: JSON.stringify({
        partner_redirect_url: "http://live.test/onboarding",
        webhook_url: "http://live.test/hook",
      }),
    });
    expect(patched.status).toBe(200);
    const expected = { partnerRedirectUrl: "http://live.test/onboarding", webhookUrl: "http://live.test/hook" };
    expect((await control<ConfigView>(sandbox(), "GET", "/config")).json).toMatchObject(expected);
    expect((await control<{ config: ConfigView }>(sandbox(), "GET", "/state")).json.config).toMatchObject(expected);

    await api(sandbox(), `/partners/${PARTNER_ID}/webhook_url`, {
      method: "POST",
      body: JSON.stringify({ webhook_url: "" }),
    });
    expect((await control<ConfigView>(sandbox(), "GET", "/config")).json.webhookUrl).toBe("");
  });

  it("must be http(s) in the Partner API and in the control config", async () => {
    for (const url of ["javascript:alert(1)", "data:text/html,hi", "ftp://files.test/x"]) {
      expect(
        (
          await api(sandbox(), `/partners/${PARTNER_ID}`, {
            method: "PATCH",
            body: JSON.stringify({ partner_redirect_url: url }),
          })
        ).status,
        url,
      ).toBe(400);
      expect(
        (
          await api(sandbox(), `/partners/${PARTNER_ID}`, {
            method: "PATCH",
            body: JSON.stringify({ webhook_url: url }),
          })
        ).status,
        url,
      ).toBe(400);
      expect(
        (
          await api(sandbox(), `/partners/${PARTNER_ID}/webhook_url`, {
            method: "POST",
            body: JSON.stringify({ webhook_url: url }),
          })
        ).status,
        url,
      ).toBe(400);
      expect((await control(sandbox(), "PATCH", "/config", { partnerRedirectUrl: url })).status, url).toBe(400);
      expect((await control(sandbox(), "PATCH", "/config", { webhookUrl: url })).status, url).toBe(400);
    }
    expect((await control<ConfigView>(sandbox(), "GET", "/config")).json.partnerRedirectUrl).toBe(
      "http://portal.test:3000/onboarding",
    );
  });

  it("must be http(s) when the sandbox starts", async () => {
    await expect(startTestSandbox({ partnerRedirectUrl: "javascript:alert(1)" })).rejects.toThrow(/http\(s\)/);
    await expect(startTestSandbox({ webhookUrl: "data:text/plain,x" })).rejects.toThrow(/http\(s\)/);
  });
});
