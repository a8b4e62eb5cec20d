/**
 * Reads that keep themselves fresh: every page polls what it shows, so new state appears without
 * a reload. Polling (not a socket) keeps the API stateless and works through any proxy.
 */
import { useQuery, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { api } from './api';

export const REFRESH_MS = 3000;

export function useLive<T>(path: string | null, options: { every?: number | false; key?: QueryKey } = {}) {
  return useQuery({
    queryKey: options.key ?? [path],
    queryFn: () => api<T>('GET', path!),
    enabled: path !== null,
    refetchInterval: options.every ?? REFRESH_MS,
  });
}

/** After a change: every list is read again now rather than at its next tick. */
export function useRefresh(): () => Promise<void> {
  const queries = useQueryClient();
  return () => queries.invalidateQueries();
}
