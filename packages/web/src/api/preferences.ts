import type { Preferences, PreferencesUpdate } from '@berth/contract';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useSyncExternalStore } from 'react';
import { client } from './client.js';

const KEY = ['me', 'preferences'] as const;
/**
 * The last preferences seen, so the next load paints with them before the server has answered
 * (a reload must not flash the commands on, or the light theme, and then take them back).
 */
const THEME_CACHE = 'berth.theme';
const COMMANDS_CACHE = 'berth.showCommands';
const DEFAULTS: Preferences = { showCommands: true, theme: 'system' };

export function applyTheme(theme: string): void {
  if (theme === 'light' || theme === 'dark') document.documentElement.dataset.theme = theme;
  else delete document.documentElement.dataset.theme;
}

/**
 * What the screen shows now. The server keeps the preferences per user; this copy changes in
 * the same event as the click (the query cache notifies a tick later, long enough for a
 * controlled checkbox to snap back), and follows the server whenever it answers.
 */
let current: Preferences = {
  showCommands: localStorage.getItem(COMMANDS_CACHE) !== 'false',
  theme: (localStorage.getItem(THEME_CACHE) as Preferences['theme'] | null) ?? 'system',
};
const listeners = new Set<() => void>();
function show(next: Preferences): void {
  current = next;
  localStorage.setItem(THEME_CACHE, next.theme);
  localStorage.setItem(COMMANDS_CACHE, String(next.showCommands));
  applyTheme(next.theme);
  for (const listener of listeners) listener();
}
applyTheme(current.theme);

/** Back to the defaults (on logout: the next user brings their own). */
export function forgetPreferences(): void {
  show(DEFAULTS);
}

/** Loads the signed-in user's preferences into what the screen shows; once, in the frame. */
export function useLoadPreferences(): void {
  const query = useQuery({
    queryKey: KEY,
    queryFn: () => client.preferences.get(),
    staleTime: Infinity,
    retry: false,
  });
  useEffect(() => {
    if (query.data) show(query.data);
  }, [query.data]);
}

/** The preferences in force; the defaults until the server has answered. */
export function usePreferences(): Preferences {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => current,
  );
}

/** Changes preferences on screen at once, then on the server (back as they were if refused). */
export function useUpdatePreferences(): (changes: PreferencesUpdate) => void {
  const queryClient = useQueryClient();
  return (changes) => {
    const before = current;
    show({ ...current, ...changes });
    client.preferences.update({ body: changes }).then(
      (saved) => queryClient.setQueryData(KEY, saved),
      () => show(before),
    );
  };
}
