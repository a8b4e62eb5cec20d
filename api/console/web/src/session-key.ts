/**
 * The API key lives in this tab's sessionStorage: gone when the tab closes, never in a URL, a
 * cookie (so no request can carry it without the console's code) or localStorage.
 */
const STORAGE_KEY = 'engine.apiKey';

export function readKey(): string | null {
  return sessionStorage.getItem(STORAGE_KEY);
}

export function storeKey(key: string): void {
  sessionStorage.setItem(STORAGE_KEY, key);
}

export function forgetKey(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}
