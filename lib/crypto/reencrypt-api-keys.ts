import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { resealEncryptionCanary } from "./encryption-canary";
import { currentKeyVersion, openSecret, sealSecret, type KeyRing } from "./secret-box";

export type RotationReport = {
  reencrypted: number;
  alreadyCurrent: number;
  targetVersion: number;
  /** The setup doctor's canary (lib/crypto/encryption-canary.ts), moved along with the keys. */
  canary: "resealed" | "current" | "absent";
};

/**
 * Re-encrypts every live API key still sealed under an older key version with the newest one, in
 * batches. Each row is updated only if its version is still the one read, so a concurrent rotation
 * or a new key written meanwhile is never overwritten. Once it reports nothing left, the old
 * version can leave ENCRYPTION_KEYS. The doctor's canary is re-sealed too.
 */
export async function reencryptApiKeys(
  db: PrismaClient,
  ring: KeyRing,
  { batchSize = 100 }: { batchSize?: number } = {},
): Promise<RotationReport> {
  const targetVersion = currentKeyVersion(ring);
  let reencrypted = 0;
  for (;;) {
    const batch = await db.apiKey.findMany({
      where: { keyVersion: { lt: targetVersion }, destroyedAt: null },
      orderBy: { id: "asc" },
      take: batchSize,
      select: { id: true, channelId: true, ciphertext: true, keyVersion: true },
    });
    if (batch.length === 0) break;
    for (const key of batch) {
      const plaintext = openSecret(
        ring,
        { ciphertext: Buffer.from(key.ciphertext), keyVersion: key.keyVersion },
        key.channelId,
      );
      const sealed = sealSecret(ring, plaintext, key.channelId);
      const updated = await db.apiKey.updateMany({
        where: { id: key.id, keyVersion: key.keyVersion },
        data: { ciphertext: new Uint8Array(sealed.ciphertext), keyVersion: sealed.keyVersion },
      });
      reencrypted += updated.count;
    }
  }
  const alreadyCurrent =
    (await db.apiKey.count({ where: { keyVersion: targetVersion, destroyedAt: null } })) - reencrypted;
  const canary = await resealEncryptionCanary(db, ring);
  return { reencrypted, alreadyCurrent, targetVersion, canary };
}
