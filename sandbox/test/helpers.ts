import { afterAll, beforeAll, beforeEach } from "vitest";
import type { SandboxConfig } from "../config";
import type { RunningSandbox } from "../server";
import { control, startTestSandbox } from "./hub-driver";

export * from "./hub-driver";

/**
 * One sandbox for a test file, reset before each test. Call it at the top of the file; the
 * returned getter gives the running sandbox inside tests.
 */
export function startSandboxPerFile(overrides: Partial<SandboxConfig> = {}): () => RunningSandbox {
  let sandbox: RunningSandbox | undefined;
  beforeAll(async () => {
    sandbox = await startTestSandbox(overrides);
  });
  afterAll(() => sandbox?.close());
  const current = () => {
    if (!sandbox) throw new Error("the sandbox is not running yet");
    return sandbox;
  };
  beforeEach(async () => {
    await control(current(), "POST", "/reset");
  });
  return current;
}
