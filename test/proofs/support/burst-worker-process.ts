import { spawn } from "node:child_process";
import { once } from "node:events";

export type WorkerProcess = {
  /** SIGKILL to the worker and the tsx process around it: no handler runs, nothing is released. */
  kill(): Promise<void>;
  output(): string;
};

/**
 * `scripts/worker.ts`, the portal's long-lived job worker, as its own process (as `npm run worker`
 * runs it), configured through `env` on top of this process's environment.
 */
export function startWorkerProcess(env: Record<string, string>): WorkerProcess {
  const child = spawn("npx", ["tsx", "--conditions=react-server", "scripts/worker.ts"], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, so one signal reaches npx, tsx and the worker itself.
    detached: true,
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const exited = once(child, "exit");
  return {
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null && child.pid) process.kill(-child.pid, "SIGKILL");
      await exited;
    },
    output: () => output,
  };
}
