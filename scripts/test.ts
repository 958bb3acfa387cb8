/**
 * `npm test`: every check the project has, in order, stopping at the first failure.
 * Lint and types first because they are fast; the e2e suite runs on the production build.
 */
import { run } from "./support/processes";

const steps: Array<{ name: string; command: string; args: string[] }> = [
  { name: "prisma generate", command: "node_modules/.bin/prisma", args: ["generate"] },
  { name: "format", command: "node_modules/.bin/prettier", args: ["--check", "--log-level=warn", "."] },
  { name: "lint", command: "node_modules/.bin/eslint", args: ["--max-warnings=0", "."] },
  { name: "type-check", command: "node_modules/.bin/tsc", args: ["--noEmit"] },
  { name: "unit and integration tests", command: "node_modules/.bin/vitest", args: ["run"] },
  {
    name: "resilience and security proofs",
    command: "node_modules/.bin/vitest",
    args: ["run", "--config", "vitest.proofs.config.ts"],
  },
  { name: "production build", command: "node_modules/.bin/next", args: ["build"] },
  { name: "end-to-end tests", command: "node_modules/.bin/tsx", args: ["scripts/e2e.ts"] },
];

async function main() {
  for (const step of steps) {
    const started = Date.now();
    console.log(`\n▶ ${step.name}`);
    const code = await run(step.command, step.args);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (code !== 0) {
      console.error(`✖ ${step.name} failed (exit ${code}, ${seconds} s)`);
      process.exit(code);
    }
    console.log(`✔ ${step.name} (${seconds} s)`);
  }
}

void main();
