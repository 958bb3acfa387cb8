import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { currentKeyVersion, openSecret, sealSecret, SecretDecryptionError, type KeyRing } from "./secret-box";

const CANARY_ID = 1;
const CANARY_PLAINTEXT = "360dialog portal encryption canary";
// Bound to its purpose, like an API key to its channel: no other ciphertext can pass for the canary.
const CANARY_AAD = "encryption-canary";

type Db = Pick<PrismaClient, "encryptionCanary" | "apiKey">;

export type CanaryCheck =
  | { ok: true; keyVersion: number; sealedNow: boolean }
  | { ok: false; keyVersion: number; reason: "key_version_missing" | "wrong_key" };

/**
 * Proves the key ring still opens what it sealed: the canary is sealed with the ring's newest key
 * the first time this runs (once the ring opens a stored API key, if there is one), and opened on
 * every run after. Concurrent first runs keep one canary.
 */
export async function checkEncryptionCanary(db: Db, ring: KeyRing): Promise<CanaryCheck> {
  let canary = await db.encryptionCanary.findUnique({ where: { id: CANARY_ID } });
  let sealedNow = false;
  if (!canary) {
    // A ring swapped before the first check must not become the canary's truth: a stored key decides.
    const refused = await refusesStoredKey(db, ring);
    if (refused) return refused;
    const sealed = sealSecret(ring, CANARY_PLAINTEXT, CANARY_AAD);
    const created = await db.encryptionCanary.createMany({
      data: { id: CANARY_ID, ciphertext: new Uint8Array(sealed.ciphertext), keyVersion: sealed.keyVersion },
      skipDuplicates: true,
    });
    sealedNow = created.count === 1;
    canary = await db.encryptionCanary.findUniqueOrThrow({ where: { id: CANARY_ID } });
  }
  const { keyVersion } = canary;
  if (!ring.has(keyVersion)) return { ok: false, keyVersion, reason: "key_version_missing" };
  try {
    openSecret(ring, { ciphertext: Buffer.from(canary.ciphertext), keyVersion }, CANARY_AAD);
  } catch (error) {
    if (error instanceof SecretDecryptionError) return { ok: false, keyVersion, reason: "wrong_key" };
    throw error;
  }
  return { ok: true, keyVersion, sealedNow };
}

async function refusesStoredKey(db: Db, ring: KeyRing): Promise<CanaryCheck | null> {
  const stored = await db.apiKey.findFirst({
    where: { liveChannelId: { not: null } },
    select: { ciphertext: true, keyVersion: true, channelId: true },
  });
  if (!stored) return null;
  const { keyVersion } = stored;
  if (!ring.has(keyVersion)) return { ok: false, keyVersion, reason: "key_version_missing" };
  try {
    openSecret(ring, { ciphertext: Buffer.from(stored.ciphertext), keyVersion }, stored.channelId);
    return null;
  } catch (error) {
    if (error instanceof SecretDecryptionError) return { ok: false, keyVersion, reason: "wrong_key" };
    throw error;
  }
}

/**
 * Part of a key rotation: re-seals the canary with the newest key, so the old version can leave
 * the ring without the doctor turning red. Updated only if still on the version read.
 */
export async function resealEncryptionCanary(db: Db, ring: KeyRing): Promise<"resealed" | "current" | "absent"> {
  const canary = await db.encryptionCanary.findUnique({ where: { id: CANARY_ID } });
  if (!canary) return "absent";
  if (canary.keyVersion === currentKeyVersion(ring)) return "current";
  const plaintext = openSecret(
    ring,
    { ciphertext: Buffer.from(canary.ciphertext), keyVersion: canary.keyVersion },
    CANARY_AAD,
  );
  const sealed = sealSecret(ring, plaintext, CANARY_AAD);
  const updated = await db.encryptionCanary.updateMany({
    where: { id: CANARY_ID, keyVersion: canary.keyVersion },
    data: { ciphertext: new Uint8Array(sealed.ciphertext), keyVersion: sealed.keyVersion },
  });
  return updated.count === 1 ? "resealed" : "current";
}
