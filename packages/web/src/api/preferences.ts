import type { Preferences, PreferencesUpdate } from '@berth/contract';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { get, patch } from './client.js';

const KEY = ['me', 'preferences'] as const;
/** The last theme seen, so the next load paints in it before the server has answered. */
const THEME_CACHE = 'berth.theme';
const DEFAULTS: Preferences = { showCommands: true, theme: 'system' };

export function applyTheme(theme: string): void {
  if (theme === 'light' || theme === 'dark') document.documentElement.dataset.theme = theme;
  else delete document.documentElement.dataset.theme;
}
applyTheme(localStorage.getItem(THEME_CACHE) ?? 'system');

/** The signed-in user's preferences (kept by the server, per user); defaults until known. */
export function usePreferences(): Preferences {
  const query = useQuery({
    queryKey: KEY,
    queryFn: () => get<Preferences>('/api/me/preferences'),
    staleTime: Infinity,
    retry: false,
  });
  const preferences = query.data ?? DEFAULTS;
  useEffect(() => {
    if (!query.data) return;
    localStorage.setItem(THEME_CACHE, query.data.theme);
    applyTheme(query.data.theme);
  }, [query.data]);
  return preferences;
}

/** Changes preferences at once on screen, then on the server (back as they were if it refuses). */
export function useUpdatePreferences(): (changes: PreferencesUpdate) => void {
  const client = useQueryClient();
  const mutation = useMutation({
    mutationFn: (changes: PreferencesUpdate) => patch<Preferences>('/api/me/preferences', changes),
    onMutate: (changes) => {
      const before = client.getQueryData<Preferences>(KEY);
      client.setQueryData<Preferences>(KEY, { ...DEFAULTS, ...before, ...changes });
      return { before };
    },
    onError: (_err, _changes, context) => client.setQueryData(KEY, context?.before),
    onSuccess: (saved) => client.setQueryData(KEY, saved),
  });
  return (changes) => mutation.mutate(changes);
}
