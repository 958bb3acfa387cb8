import { beforeEach } from "vitest";
import type { SandboxConfig } from "@/sandbox/config";
import type { RunningSandbox } from "@/sandbox/server";
import { startSandboxPerFile } from "@/sandbox/test/helpers";
import { resetDatabase } from "./db";

/**
 * One real Hub sandbox for a test file, reset together with the database before each test.
 * The lifecycle is held at `created` (where onboarding leaves a channel) so no timer moves a channel
 * between two reads of one test; a test that needs a moving channel asks for it through `overrides`.
 */
export function startHubSandboxPerFile(overrides: Partial<SandboxConfig> = {}): () => RunningSandbox {
  beforeEach(resetDatabase);
  return startSandboxPerFile({ lifecycleUntil: "created", ...overrides });
}
