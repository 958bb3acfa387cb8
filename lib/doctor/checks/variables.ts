import "server-only";
import { failed, passed, type CheckResult } from "../check-result";
import type { Environment } from "../read-environment";

/** Every variable present and well-formed; in production, none of them a published development default. */
export function checkVariables(environment: Environment): CheckResult {
  if (environment.problems.length > 0) {
    return failed(
      "variables",
      environment.problems.join("; "),
      `Correct ${[...environment.broken].join(", ")} in this deployment's environment as described (see .env.example), then restart or redeploy.`,
    );
  }
  const mode = environment.env?.NODE_ENV ?? "development";
  return passed(
    "variables",
    mode === "production"
      ? "Every variable is set and well-formed, and none is a published development default."
      : `Every variable is well-formed; in ${mode}, unset ones fall back to the local sandbox defaults.`,
  );
}
