/**
 * `npm run keys:rotate`: after adding a new, higher version to ENCRYPTION_KEYS, re-encrypts every
 * stored channel API key with it and prints the counts. Safe to run again; when it reports 0
 * re-encrypted, the old version can be removed from ENCRYPTION_KEYS.
 */
import { reencryptApiKeys } from "../lib/crypto/reencrypt-api-keys";
import { getDb } from "../lib/db";
import { getEnv } from "../lib/env";

async function main() {
  const db = getDb();
  try {
    const report = await reencryptApiKeys(db, getEnv().ENCRYPTION_KEYS);
    console.log(
      `keys:rotate: ${report.reencrypted} key(s) re-encrypted to version ${report.targetVersion}, ${report.alreadyCurrent} already on it`,
    );
  } finally {
    await db.$disconnect();
  }
}

main().catch((error: unknown) => {
  console.error(`keys:rotate: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
