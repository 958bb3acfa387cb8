import { afterAll, beforeAll, beforeEach } from "vitest";
import type { SandboxConfig } from "@/sandbox/config";
import type { RunningSandbox } from "@/sandbox/server";
import { control, startTestSandbox } from "@/sandbox/test/helpers";
import { resetDatabase } from "./db";

/**
 * One real Hub sandbox for a test file, reset together with the database before each test.
 * The lifecycle is held at `pending` (where onboarding leaves a channel) so no timer moves a channel
 * between two reads of one test; a test that needs a moving channel asks for it through `overrides`.
 */
export function startHubSandboxPerFile(overrides: Partial<SandboxConfig> = {}): () => RunningSandbox {
  let sandbox: RunningSandbox | undefined;
  beforeAll(async () => {
    sandbox = await startTestSandbox({ lifecycleUntil: "pending", ...overrides });
  });
  afterAll(() => sandbox?.close());
  beforeEach(async () => {
    await resetDatabase();
    await control(current(), "POST", "/reset");
  });
  const current = () => {
    if (!sandbox) throw new Error("the sandbox is not running yet");
    return sandbox;
  };
  return current;
}
