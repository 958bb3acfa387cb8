const SECRET_KEY =
  /api[-_]?key|token|secret|passw(?:or)?d|authorization|signature|private|credential|cookie|session|^pin$|^key$|^auth$/i;

// A long secret keeps its last four characters, enough to tell two keys apart; a short one none.
const MASK = "••••";

function maskValue(value: unknown): unknown {
  if (typeof value === "string") return value.length > 8 ? `${MASK}${value.slice(-4)}` : MASK;
  if (value === null) return null;
  // A secret nested in an object or array under a secret-looking key is masked whole.
  return MASK;
}

/**
 * A copy of a JSON value that is safe to show an admin: every value under a key that names a
 * secret (api_key, token, password, signature, ...), at any depth, is masked.
 */
export function maskSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key, SECRET_KEY.test(key) ? maskValue(inner) : maskSecrets(inner)]),
    );
  }
  return value;
}
