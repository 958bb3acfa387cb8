import { createHash, timingSafeEqual } from "node:crypto";

const digest = (value: string): Buffer => createHash("sha256").update(value, "utf8").digest();

/**
 * Constant-time comparison of a presented credential with the expected one. Comparing digests
 * gives timingSafeEqual inputs of equal length, so neither the content nor the length leaks.
 */
export function secretsEqual(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}
