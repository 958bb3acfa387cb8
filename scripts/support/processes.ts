import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";

/** Runs a command to completion with inherited output; resolves with its exit code. */
export function run(command: string, args: string[], options: SpawnOptions = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: "inherit", ...options });
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

/**
 * Starts a long-running child in its own process group: `next start` forks a server process,
 * and only signalling the whole group stops it.
 */
export function startService(
  command: string,
  args: string[],
  { tee, ...options }: SpawnOptions & { tee?: (chunk: Buffer) => void } = {},
): { child: ChildProcess; stop(): Promise<void>; kill(): Promise<void> } {
  // With `tee`, the output still reaches the terminal, and a copy goes to the caller.
  const child = spawn(command, args, {
    stdio: tee ? ["ignore", "pipe", "pipe"] : "inherit",
    detached: true,
    ...options,
  });
  if (tee) {
    child.stdout?.on("data", (chunk: Buffer) => {
      process.stdout.write(chunk);
      tee(chunk);
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      process.stderr.write(chunk);
      tee(chunk);
    });
  }
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return resolve();
      const force = setTimeout(() => signalGroup(child.pid!, "SIGKILL"), 5_000);
      child.once("exit", () => {
        clearTimeout(force);
        resolve();
      });
      signalGroup(child.pid, "SIGTERM");
    });
  // As a crash or an out-of-memory kill would: the group gets no chance to finish anything.
  const kill = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return resolve();
      child.once("exit", () => resolve());
      signalGroup(child.pid, "SIGKILL");
    });
  return { child, stop, kill };
}

function signalGroup(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

/** Polls a URL until it answers 2xx, failing after `timeoutMs`. */
export async function waitForUrl(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not become ready within ${timeoutMs} ms (${last})`);
}
