'use client';

import { useCallback, useSyncExternalStore } from 'react';

// Same-tab listeners: the `storage` event only reaches other tabs.
const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('storage', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', listener);
  };
}

function read(key: string): string {
  try {
    return window.localStorage.getItem(key) ?? '';
  } catch {
    return '';
  }
}

/**
 * Text a person is typing, kept in localStorage under `key` as they type: a reload, a crashed tab or
 * a failed submit on a weak phone signal loses nothing. Cleared with `clear()` once saved.
 */
export function useDraft(key: string): {
  value: string;
  setValue: (value: string) => void;
  clear: () => void;
} {
  const value = useSyncExternalStore(
    subscribe,
    () => read(key),
    () => '',
  );
  const setValue = useCallback(
    (next: string) => {
      try {
        if (next) window.localStorage.setItem(key, next);
        else window.localStorage.removeItem(key);
      } catch {
        // Storage full or disabled (private mode): the text still lives in the page.
      }
      for (const listener of listeners) listener();
    },
    [key],
  );
  return { value, setValue, clear: useCallback(() => setValue(''), [setValue]) };
}
