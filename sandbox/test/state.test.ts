import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Logger } from "../logger";
import { StateStore } from "../state";
import { API_KEY, PARTNER_ID, control, onboard, startTestSandbox, waitFor } from "./helpers";

const PARTNER = { partnerRedirectUrl: "http://portal.test:3000/onboarding", webhookUrl: "" };

function recordingLogger(): Logger & { warnings: string[]; errors: string[] } {
  const warnings: string[] = [];
  const errors: string[] = [];
  return { warnings, errors, info: () => {}, warn: (m) => warnings.push(m), error: (m) => errors.push(m) };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sandbox-state-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("used IO signatures", () => {
  it("are forgotten once older than the maximum signature age", () => {
    const store = new StateStore(null, PARTNER, recordingLogger());
    const now = 1_000_000;
    store.rememberSignature({ signature: "old", timestamp: now - 100 }, now - 50, 60);
    store.rememberSignature({ signature: "recent", timestamp: now - 30 }, now - 50, 60);
    expect(store.isSignatureUsed("old")).toBe(true);

    store.rememberSignature({ signature: "new", timestamp: now }, now, 60);
    expect(store.state.usedSignatures.map((u) => u.signature)).toEqual(["recent", "new"]);
    expect(store.isSignatureUsed("old")).toBe(false);
    expect(store.isSignatureUsed("recent")).toBe(true);
  });
});

describe("the state file", () => {
  it("restores clients, channels and used signatures after a restart", async () => {
    const file = join(dir, "state.json");
    const first = await startTestSandbox({ stateFile: file, lifecycleUntil: "created" });
    const { client, channels } = await onboard(first, { email: "keep@example.com" });
    await first.close();

    const logger = recordingLogger();
    const second = await startTestSandbox({ stateFile: file, logger });
    try {
      const state = (
        await control<{
          clients: { id: string }[];
          channels: { id: string }[];
          signatureSummary: { accepted: number };
        }>(second, "GET", "/state")
      ).json;
      expect(state.clients.map((c) => c.id)).toEqual([client]);
      expect(state.channels.map((c) => c.id)).toEqual(channels);
      expect(state.signatureSummary.accepted).toBe(1);
      expect(logger.warnings).toEqual([]);
    } finally {
      await second.close();
    }
  });

  it("keeps the clients of a file written before used signatures carried their timestamp", async () => {
    const file = join(dir, "state.json");
    const first = await startTestSandbox({ stateFile: file, lifecycleUntil: "created" });
    const { client } = await onboard(first, { email: "legacy@example.com" });
    await first.close();
    const saved = JSON.parse(readFileSync(file, "utf8")) as { usedSignatures: { signature: string }[] };
    writeFileSync(
      file,
      JSON.stringify({ ...saved, usedSignatures: saved.usedSignatures.map((used) => used.signature) }),
    );

    const logger = recordingLogger();
    const second = await startTestSandbox({ stateFile: file, logger });
    try {
      const state = (await control<{ clients: { id: string }[] }>(second, "GET", "/state")).json;
      expect(state.clients.map((c) => c.id)).toEqual([client]);
      expect(logger.warnings).toEqual([]);
    } finally {
      await second.close();
    }
  });

  it("keeps the channels of a file written with the sandbox's earlier status words", async () => {
    const file = join(dir, "state.json");
    const first = await startTestSandbox({ stateFile: file, lifecycleUntil: "created" });
    const { channels } = await onboard(first, { email: "words@example.com", numbers: 2 });
    await first.close();
    const saved = JSON.parse(readFileSync(file, "utf8")) as { channels: { status: string }[] };
    const words = ["pending", "submitted"];
    writeFileSync(
      file,
      JSON.stringify({ ...saved, channels: saved.channels.map((c, i) => ({ ...c, status: words[i] })) }),
    );

    const logger = recordingLogger();
    const second = await startTestSandbox({ stateFile: file, logger });
    try {
      const state = (await control<{ channels: { id: string; status: string }[] }>(second, "GET", "/state")).json;
      expect(state.channels.map((c) => [c.id, c.status])).toEqual([
        [channels[0], "created"],
        [channels[1], "ready"],
      ]);
      expect(logger.warnings).toEqual([]);
    } finally {
      await second.close();
    }
  });

  it("keeps a file written before the messaging API, and restores messaging webhooks after a restart", async () => {
    const file = join(dir, "state.json");
    const first = await startTestSandbox({ stateFile: file, lifecycleUntil: "running" });
    const { client, channels } = await onboard(first, { email: "messaging@example.com" });
    const channel = channels[0] ?? "";
    await waitFor(async () => {
      const state = (await control<{ channels: { status: string }[] }>(first, "GET", "/state")).json;
      return state.channels[0]?.status === "running";
    });
    const key = (await (
      await fetch(`${first.url}/api/v2/partners/${PARTNER_ID}/channels/${channel}/api_keys`, {
        method: "POST",
        headers: { "X-API-Key": API_KEY },
      })
    ).json()) as { api_key: string };
    const set = await fetch(`${first.url}/v1/configs/webhook`, {
      method: "POST",
      headers: { "D360-API-KEY": key.api_key, "content-type": "application/json" },
      body: JSON.stringify({ url: "https://portal.example.com/hook", headers: { "X-Token": "t" } }),
    });
    expect(set.status).toBe(200);
    await first.close();

    const restarted = await startTestSandbox({ stateFile: file, logger: recordingLogger() });
    try {
      const read = await fetch(`${restarted.url}/v1/configs/webhook`, { headers: { "D360-API-KEY": key.api_key } });
      expect(await read.json()).toEqual({ url: "https://portal.example.com/hook", headers: { "X-Token": "t" } });
    } finally {
      await restarted.close();
    }

    const saved = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    for (const field of ["messagingWebhooks", "customerWindows", "messages", "inbound", "messagingDeliveries"]) {
      expect(saved, field).toHaveProperty(field);
      delete saved[field];
    }
    writeFileSync(file, JSON.stringify(saved));
    const logger = recordingLogger();
    const older = await startTestSandbox({ stateFile: file, logger });
    try {
      const state = (
        await control<{ clients: { id: string }[]; messaging: { webhooks: Record<string, unknown> } }>(
          older,
          "GET",
          "/state",
        )
      ).json;
      expect(state.clients.map((c) => c.id)).toEqual([client]);
      expect(state.messaging.webhooks).toEqual({});
      expect(logger.warnings).toEqual([]);
    } finally {
      await older.close();
    }
  });

  it("is ignored with a warning when it is not JSON or has the wrong shape, then replaced", async () => {
    for (const content of [
      "{ not json",
      JSON.stringify({ clients: "nope" }),
      JSON.stringify({ usedSignatures: ["a-bare-string"] }),
    ]) {
      const file = join(dir, "state.json");
      writeFileSync(file, content);
      const logger = recordingLogger();
      const sandbox = await startTestSandbox({ stateFile: file, logger });
      try {
        expect(logger.warnings, content).toHaveLength(1);
        expect(logger.warnings[0]).toContain(file);
        const state = (await control<{ clients: unknown[] }>(sandbox, "GET", "/state")).json;
        expect(state.clients).toEqual([]);
        await control(sandbox, "POST", "/reset");
      } finally {
        await sandbox.close();
      }
      expect(JSON.parse(readFileSync(file, "utf8"))).toMatchObject({ clients: [], usedSignatures: [] });
    }
  });

  it("logs a failed write instead of crashing, and the sandbox keeps serving", async () => {
    const blocker = join(dir, "a-file");
    writeFileSync(blocker, "");
    const logger = recordingLogger();
    // The parent "directory" is a file, so creating it and writing below it both fail.
    const sandbox = await startTestSandbox({ stateFile: join(blocker, "state.json"), logger });
    try {
      await control(sandbox, "POST", "/reset");
      await waitFor(() => logger.errors.length > 0);
      expect(logger.errors[0]).toMatch(/could not write the state file/);
      expect((await control(sandbox, "GET", "/health")).status).toBe(200);
    } finally {
      await sandbox.close();
    }
  });
});
