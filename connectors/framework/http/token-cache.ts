/**
 * Tokens a request hook mints (e.g. a GitHub App's installation token), cached until shortly
 * before they expire. One mint at a time per key: concurrent requests wait for the same one.
 */
import type { MintedToken } from '../../../applications/framework/request-hook';

export class TokenCache {
  private readonly tokens = new Map<string, MintedToken>();
  private readonly minting = new Map<string, Promise<MintedToken>>();

  constructor(private readonly now: () => number = Date.now) {}

  async get(key: string, mint: () => Promise<MintedToken>, renewBeforeMs = 60_000): Promise<string> {
    const cached = this.tokens.get(key);
    if (cached && cached.expiresAt.getTime() - renewBeforeMs > this.now()) return cached.value;
    let pending = this.minting.get(key);
    if (!pending) {
      pending = mint().finally(() => this.minting.delete(key));
      this.minting.set(key, pending);
    }
    const token = await pending;
    this.tokens.set(key, token);
    return token.value;
  }
}
