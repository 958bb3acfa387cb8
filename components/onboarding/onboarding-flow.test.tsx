// @vitest-environment jsdom
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { StrictMode } from "react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { OnboardingFlow, type OnboardingFlowProps } from "./onboarding-flow";

// The browser side only: the portal's API is played by a fake fetch here; the real routes are
// covered by their integration tests and the e2e journey.
type Call = { url: string; body: unknown };

function fakeApi() {
  const calls: Call[] = [];
  const completedStates = new Set<string>();
  let signatures = 0;
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    calls.push({ url, body: init?.body ? JSON.parse(String(init.body)) : undefined });
    if (url === "/api/sign_io") {
      // Like the server: the unclicked signature comes back until the page reports it spent.
      const spent = (JSON.parse(String(init?.body)) as { spent?: string }).spent;
      if (signatures === 0 || spent === `state-nonce-${signatures}-abcdefgh`) signatures += 1;
      return Response.json({
        signature: `sig${signatures}`,
        timestamp: 1_700_000_000 + signatures,
        state: `state-nonce-${signatures}-abcdefgh`,
        expiresAt: "2030-01-01T00:00:00.000Z",
      });
    }
    if (url === "/api/onboarding") {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const body = JSON.parse(String(init?.body)) as { client: string; channels: string[]; revoked: string[] };
      const awaiting = body.client.startsWith("awaiting");
      return Response.json({
        client: { id: body.client, binding: awaiting ? "awaiting_approval" : "bound" },
        channels: body.channels.map((id) => ({
          id,
          phoneNumber: awaiting ? "•••• 0001" : `+49 ${id}`,
          status: "CREATED",
        })),
        revoked: body.revoked,
      });
    }
    if (url.startsWith("/api/onboarding?state=")) {
      const state = new URL(url, "http://localhost").searchParams.get("state") ?? "";
      return Response.json(
        completedStates.has(state)
          ? {
              status: "completed",
              result: {
                client: { id: "clX", binding: "bound" },
                channels: [{ id: "chX", phoneNumber: "+49 777", status: "CREATED" }],
                revoked: [],
              },
            }
          : { status: "pending" },
      );
    }
    return new Response("not found", { status: 404 });
  });
  return {
    calls,
    fetchMock,
    completedStates,
    completionCalls: () => calls.filter((call) => call.url === "/api/onboarding"),
  };
}

const baseProps: OnboardingFlowProps = {
  partnerId: "testPA",
  hubEnv: "local",
  ioSignatureEnabled: true,
  redirectUrl: "http://localhost:3000/onboarding",
  user: { email: "client@example.com", name: "Client" },
  landingFromRedirect: false,
};

function renderFlow(props: Partial<OnboardingFlowProps> = {}) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <StrictMode>
      <QueryClientProvider client={client}>
        <OnboardingFlow {...baseProps} {...props} />
      </QueryClientProvider>
    </StrictMode>,
  );
}

const settle = () => act(() => new Promise((resolve) => setTimeout(resolve, 150)));

let api: ReturnType<typeof fakeApi>;

beforeEach(() => {
  api = fakeApi();
  vi.stubGlobal("fetch", api.fetchMock);
  window.history.replaceState(null, "", "/onboarding");
  window.localStorage.clear();
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("OnboardingFlow", () => {
  it("reports a redirect once, removes it from the URL, and does not loop", async () => {
    window.history.replaceState(null, "", "/onboarding?client=cl1&channels=[ch1,ch2]&state=state-nonce-1-abcdefgh");
    renderFlow({ landingFromRedirect: true });

    await screen.findByText("Your numbers are connected");
    for (let i = 0; i < 5; i++) await settle();

    expect(api.completionCalls()).toHaveLength(1);
    expect(api.completionCalls()[0]?.body).toEqual({
      client: "cl1",
      channels: ["ch1", "ch2"],
      revoked: [],
      state: "state-nonce-1-abcdefgh",
    });
    expect(window.location.search).toBe("");
    // After the redirect is handled, one signature is prepared for a next click, and only one.
    expect(api.calls.filter((call) => call.url === "/api/sign_io")).toHaveLength(1);
  });

  it("shows a binding that waits for the partner's approval as such, with masked numbers", async () => {
    window.history.replaceState(null, "", "/onboarding?client=awaitingCL&channels=[ch1]&state=state-nonce-1-abcdefgh");
    renderFlow({ landingFromRedirect: true });
    await screen.findByText("Your numbers are waiting for the partner's approval");
    expect(screen.queryByText("Your numbers are connected")).toBeNull();
    expect(screen.getByRole("list", { name: "Numbers awaiting approval" }).textContent).toContain("•••• 0001");
  });

  it("tells the user that a different email at the Hub needs approval", () => {
    renderFlow();
    expect(screen.getByText(/a different email there/).textContent).toContain("client@example.com");
  });

  it("does not report the redirect again when the button is rebuilt while it completes", async () => {
    // The button rebuilds its core and re-runs the callback whenever a new signature arrives.
    window.history.replaceState(null, "", "/onboarding?client=cl1&channels=[ch1]");
    renderFlow({ landingFromRedirect: false });
    await screen.findByText("Your numbers are connected");
    await settle();
    expect(api.calls.filter((call) => call.url === "/api/sign_io").length).toBeGreaterThan(0);
    expect(api.completionCalls()).toHaveLength(1);
  });

  it("drops the empty id the button parses out of channels=[] and sends revoked numbers", async () => {
    window.history.replaceState(null, "", "/onboarding?client=cl2&channels=[]&revoked=[ch9]");
    renderFlow({ landingFromRedirect: true });
    await screen.findByText("Your numbers are connected");
    expect(api.completionCalls().map((call) => call.body)).toEqual([{ client: "cl2", channels: [], revoked: ["ch9"] }]);
  });

  it("makes one call per distinct redirect", async () => {
    window.history.replaceState(null, "", "/onboarding?client=cl1&channels=[ch1]");
    const first = renderFlow({ landingFromRedirect: true });
    await screen.findByText("Your numbers are connected");
    first.unmount();

    window.history.replaceState(null, "", "/onboarding?client=cl3&channels=[ch3]");
    renderFlow({ landingFromRedirect: true });
    await waitFor(() => expect(api.completionCalls()).toHaveLength(2));
    await settle();
    expect(api.completionCalls().map((call) => (call.body as { client: string }).client)).toEqual(["cl1", "cl3"]);
  });

  it("enables Connect only with a signature and uses a fresh one for every click", async () => {
    const open = vi.spyOn(window, "open").mockReturnValue(null);
    renderFlow();
    const button = screen.getByRole("button", { name: "Connect WhatsApp" });
    expect(button).toHaveProperty("disabled", true);
    expect(screen.getByText("Preparing a secure onboarding link…")).toBeTruthy();

    await waitFor(() => expect(button).toHaveProperty("disabled", false));
    fireEvent.click(button);
    // The click spends sig1; Connect comes back only once sig2 has arrived.
    await waitFor(() => expect(api.calls.filter((call) => call.url === "/api/sign_io")).toHaveLength(2));
    await waitFor(() => expect(button).toHaveProperty("disabled", false));
    fireEvent.click(button);

    const signIoBodies = api.calls.filter((call) => call.url === "/api/sign_io").map((call) => call.body);
    expect(signIoBodies.slice(0, 2)).toEqual([{}, { spent: "state-nonce-1-abcdefgh" }]);
    const urls = open.mock.calls.map((call) => new URL(String(call[0])));
    expect(urls).toHaveLength(2);
    expect(urls[0]?.origin + urls[0]!.pathname).toBe("http://localhost:8082/dashboard/app/testPA");
    expect(urls.map((url) => url.searchParams.get("io_signature"))).toEqual(["sig1", "sig2"]);
    expect(urls[0]?.searchParams.get("state")).toBe("state-nonce-1-abcdefgh");
    expect(urls[0]?.searchParams.get("email")).toBe("client@example.com");
  });

  it("sends the clicked attempt's state when the Hub's redirect does not echo it", async () => {
    vi.spyOn(window, "open").mockReturnValue(null);
    const opener = renderFlow();
    const button = screen.getByRole("button", { name: "Connect WhatsApp" });
    await waitFor(() => expect(button).toHaveProperty("disabled", false));
    fireEvent.click(button);
    opener.unmount();

    window.history.replaceState(null, "", "/onboarding?client=cl1&channels=[ch1]");
    renderFlow({ landingFromRedirect: true });
    await screen.findByText("Your numbers are connected");
    expect(api.completionCalls().map((call) => call.body)).toEqual([
      { client: "cl1", channels: ["ch1"], revoked: [], state: "state-nonce-1-abcdefgh" },
    ]);
  });

  it("learns from the server that the attempt completed when the popup cannot report back", async () => {
    vi.spyOn(window, "open").mockReturnValue(null);
    renderFlow();
    const button = screen.getByRole("button", { name: "Connect WhatsApp" });
    await waitFor(() => expect(button).toHaveProperty("disabled", false));
    fireEvent.click(button);
    await screen.findByText("Finish onboarding in the 360dialog window.");
    await waitFor(() =>
      expect(api.calls.some((call) => call.url === "/api/onboarding?state=state-nonce-1-abcdefgh")).toBe(true),
    );
    expect(screen.queryByText("Your numbers are connected")).toBeNull();

    api.completedStates.add("state-nonce-1-abcdefgh");
    await screen.findByText("Your numbers are connected", undefined, { timeout: 5_000 });
    expect(screen.getByRole("list", { name: "Connected numbers" }).textContent).toContain("+49 777");
    expect(api.completionCalls()).toHaveLength(0);
  });

  it("sends no state left over from IO Signature days once it is off", async () => {
    window.localStorage.setItem("portal:onboarding-clicked-state", "state-nonce-9-abcdefgh");
    window.history.replaceState(null, "", "/onboarding?client=cl1&channels=[ch1]");
    renderFlow({ landingFromRedirect: true, ioSignatureEnabled: false });
    await screen.findByText("Your numbers are connected");
    expect(api.completionCalls().map((call) => call.body)).toEqual([{ client: "cl1", channels: ["ch1"], revoked: [] }]);
  });

  it("works without a signature when IO Signature is off", async () => {
    const open = vi.spyOn(window, "open").mockReturnValue(null);
    renderFlow({ ioSignatureEnabled: false });
    const button = screen.getByRole("button", { name: "Connect WhatsApp" });
    await waitFor(() => expect(button).toHaveProperty("disabled", false));
    fireEvent.click(button);
    expect(new URL(String(open.mock.calls[0]?.[0])).searchParams.has("io_signature")).toBe(false);
    expect(api.calls.filter((call) => call.url === "/api/sign_io")).toHaveLength(0);
  });
});
