/**
 * A new deployment waiting to take over (its service worker is installed and waiting).
 * main.tsx sets it when the service worker reports one; the banner reads it and calls
 * `apply` only when the user agrees, which activates the new version and reloads the page.
 */
export interface PendingUpdate {
  apply: () => Promise<void>;
}

let pending: PendingUpdate | null = null;
const listeners = new Set<() => void>();

export const updateStore = {
  get: (): PendingUpdate | null => pending,
  set(p: PendingUpdate | null): void {
    pending = p;
    for (const l of listeners) l();
  },
  subscribe(l: () => void): () => void {
    listeners.add(l);
    return () => listeners.delete(l);
  },
};
