import { defineConfig, mergeConfig } from "vitest/config";
import base from "./vitest.config";

/**
 * The resilience and security proofs (test/proofs): faults, bursts, fuzzing, the authorization
 * matrix. Heavier than the rest, so `npm test` runs them as a stage of their own, after the unit
 * and integration tests; each prints the figures the README quotes.
 */
const merged = mergeConfig(
  base,
  defineConfig({ test: { include: ["test/proofs/**/*.test.ts"], testTimeout: 300_000 } }),
);
// mergeConfig concatenates lists: the base config includes every test and excludes exactly these.
merged.test!.include = ["test/proofs/**/*.test.ts"];
merged.test!.exclude = ["node_modules/**"];

export default merged;
