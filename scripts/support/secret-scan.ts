import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

export type Secret = { name: string; value: string };

/** Every file under `directory`, recursively. */
export function filesUnder(directory: string): string[] {
  return readdirSync(directory).flatMap((entry) => {
    const path = join(directory, entry);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/**
 * Where each secret appears in `haystack`, by name: as given, and in the encodings a leak takes
 * on the way (hex, base64, URL-encoded), so a key that was re-encoded still counts as leaked.
 */
export function secretsIn(haystack: Buffer, secrets: Secret[]): string[] {
  const found: string[] = [];
  for (const secret of secrets) {
    const forms = new Set([
      secret.value,
      Buffer.from(secret.value).toString("hex"),
      Buffer.from(secret.value).toString("base64"),
      encodeURIComponent(secret.value),
    ]);
    if ([...forms].some((form) => form.length >= 8 && haystack.includes(form))) found.push(secret.name);
  }
  return found;
}

export function readAll(paths: string[]): Buffer {
  return Buffer.concat(paths.map((path) => readFileSync(path)));
}
