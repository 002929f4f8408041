/** Where the console keeps the API token: sessionStorage, so it is gone when the tab closes and never in a cookie. */
export interface TokenStore {
  read(): string | undefined;
  write(token: string): void;
  clear(): void;
}

const KEY = "wizbridge.apiToken";

/** The token store of a browser tab. */
export function sessionTokenStore(storage: Storage = window.sessionStorage): TokenStore {
  return {
    read: () => storage.getItem(KEY) ?? undefined,
    write: (token) => storage.setItem(KEY, token),
    clear: () => storage.removeItem(KEY),
  };
}
