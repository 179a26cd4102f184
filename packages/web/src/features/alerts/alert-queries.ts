import type { AlertState } from '@berth/contract';
import { useQuery } from '@tanstack/react-query';
import { client } from '../../api/client.js';

/** Alerts change when a rule's condition does: read again while the page is open. */
const REFRESH_MS = 10_000;

export const alertKeys = {
  alerts: ['alerts'] as const,
  rules: ['alerts', 'rules'] as const,
  silences: ['alerts', 'silences'] as const,
  channels: ['notifications', 'channels'] as const,
};

export function useAlerts(state: AlertState | undefined) {
  return useQuery({
    queryKey: [...alertKeys.alerts, state ?? 'all'],
    queryFn: async () =>
      (await client.alerts.list({ query: { limit: 200, ...(state ? { state } : {}) } })).alerts,
    refetchInterval: REFRESH_MS,
  });
}

export function useRules(enabled: boolean) {
  return useQuery({
    queryKey: alertKeys.rules,
    queryFn: async () => (await client.alerts.listRules()).rules,
    enabled,
  });
}

export function useSilences() {
  return useQuery({
    queryKey: alertKeys.silences,
    queryFn: async () => (await client.alerts.listSilences()).silences,
    refetchInterval: REFRESH_MS,
  });
}

/** The notification channels a rule can send to (admins only, as rules are). */
export function useChannels(enabled: boolean) {
  return useQuery({
    queryKey: alertKeys.channels,
    queryFn: async () => (await client.notifications.listChannels()).channels,
    enabled,
  });
}
