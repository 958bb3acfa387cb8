import { newToken } from "./ids";

/** Bearer tokens from POST /token; in memory only, so a restart signs every client out like an expiry would. */
export class TokenStore {
  private readonly tokens = new Map<string, number>();

  issue(ttlSeconds: number): string {
    const token = newToken();
    this.tokens.set(token, Date.now() + ttlSeconds * 1000);
    return token;
  }

  isValid(token: string): boolean {
    const expiresAt = this.tokens.get(token);
    if (expiresAt === undefined) return false;
    if (expiresAt < Date.now()) {
      this.tokens.delete(token);
      return false;
    }
    return true;
  }

  clear(): void {
    this.tokens.clear();
  }
}
