import { loadSandboxConfig } from "./config";
import { consoleLogger } from "./logger";
import { startSandbox } from "./server";

async function main(): Promise<void> {
  const env = loadSandboxConfig(process.env);
  const sandbox = await startSandbox({
    ...env,
    // Dev keeps state across restarts unless SANDBOX_STATE_FILE says otherwise ("" = memory only).
    stateFile: process.env.SANDBOX_STATE_FILE === undefined ? ".data/sandbox-state.json" : env.stateFile,
    logger: consoleLogger,
  });
  const { config } = sandbox;
  console.log(
    `[sandbox] Hub sandbox on ${sandbox.url} (IO ${sandbox.url}/dashboard/app/${config.partnerId}, API ${sandbox.url}/api/v2, ` +
      `control ${sandbox.url}/__sandbox) · SMTP 127.0.0.1:${sandbox.smtpPort} · webhooks → ${config.webhookUrl || "(none)"}`,
  );
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    sandbox.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error("[sandbox] close failed", error);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error("[sandbox] failed to start:", error instanceof Error ? error.message : error);
  process.exit(1);
});
