import "server-only";
import { checkEncryptionCanary } from "@/lib/crypto/encryption-canary";
import type { KeyRing } from "@/lib/crypto/secret-box";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { failed, passed, type CheckResult } from "../check-result";

/** The configured ring opens the canary it (or an earlier ring) sealed: stored API keys are readable. */
export async function checkKeyRing(
  db: Pick<PrismaClient, "encryptionCanary" | "apiKey">,
  ring: KeyRing,
): Promise<CheckResult> {
  const canary = await checkEncryptionCanary(db, ring);
  const versions = [...ring.keys()].sort((a, b) => a - b).join(", ");
  if (canary.ok) {
    return passed(
      "key_ring",
      canary.sealedNow
        ? `Sealed the canary with key version ${canary.keyVersion} (first run); from now on it proves the ring still opens what it sealed.`
        : `Key version ${canary.keyVersion} opens the canary; the ring holds version(s) ${versions}.`,
    );
  }
  if (canary.reason === "key_version_missing") {
    return failed(
      "key_ring",
      `The canary was sealed with key version ${canary.keyVersion}, which ENCRYPTION_KEYS (version(s) ${versions}) no longer holds, so API keys sealed with it cannot be read.`,
      `Restore key version ${canary.keyVersion} to ENCRYPTION_KEYS (remove a version only after npm run keys:rotate).`,
    );
  }
  return failed(
    "key_ring",
    `Key version ${canary.keyVersion} in ENCRYPTION_KEYS is not the key the canary was sealed with, so API keys sealed with it cannot be read.`,
    `Restore the original key of version ${canary.keyVersion} in ENCRYPTION_KEYS.`,
  );
}

/** No ring at all: ENCRYPTION_KEYS is unset (production) or malformed. */
export function missingKeyRing(): CheckResult {
  return failed(
    "key_ring",
    "No key ring is configured: ENCRYPTION_KEYS is missing or malformed, so no stored API key can be read.",
    'Set ENCRYPTION_KEYS to this deployment\'s keys, "<version>:<base64 of 32 bytes>" comma-separated (see .env.example).',
  );
}
