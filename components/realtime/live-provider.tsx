'use client';

import { createContext, useContext, useEffect, useState } from 'react';
import { useRouter } from 'next/navigation';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, DomainEventType, ServerToClientEvents } from '@/lib/realtime/events';

export type LiveStatus = 'connecting' | 'live' | 'offline';

const LiveContext = createContext<LiveStatus>('connecting');

/** Whether live updates are flowing. */
export function useLiveStatus(): LiveStatus {
  return useContext(LiveContext);
}

// Events that change server-rendered views: refresh the route so the server components reload.
const refreshOn: DomainEventType[] = [
  'site:changed',
  'station:changed',
  'station:connection-changed',
  'station:status-changed',
  'session:updated',
  'command:updated',
  'local-list:updated',
  'incident:updated',
  'work-order:updated',
  'tariff:updated',
  'cdr:updated',
  'load:updated',
];
// A burst of events (a charger reporting every connector at boot) makes one refresh, not many.
const refreshDelayMs = 250;

/**
 * React Query plus the socket.io connection for the signed-in shell. The server authenticates the
 * socket from the session cookie; events invalidate queries and refresh server-rendered views.
 */
export function LiveProvider({ children }: { children: React.ReactNode }) {
  const router = useRouter();
  const [queryClient] = useState(
    () => new QueryClient({ defaultOptions: { queries: { staleTime: 15_000 } } }),
  );
  const [status, setStatus] = useState<LiveStatus>('connecting');

  useEffect(() => {
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({
      path: '/socket.io/',
      withCredentials: true,
    });
    socket.on('connect', () => setStatus('live'));
    socket.on('disconnect', () => setStatus('offline'));
    socket.on('connect_error', () => setStatus('offline'));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refresh = () => {
      timer ??= setTimeout(() => {
        timer = undefined;
        // Without a connection the refresh would fail, and Next.js answers a failed refresh with a
        // full page load (the browser's offline page on a phone): wait for the connection instead.
        if (!navigator.onLine) return;
        void queryClient.invalidateQueries();
        router.refresh();
      }, refreshDelayMs);
    };
    for (const type of refreshOn) socket.on(type, refresh);
    // Back online: catch up with what changed meanwhile.
    window.addEventListener('online', refresh);
    return () => {
      clearTimeout(timer);
      window.removeEventListener('online', refresh);
      socket.disconnect();
    };
  }, [queryClient, router]);

  return (
    <QueryClientProvider client={queryClient}>
      <LiveContext.Provider value={status}>{children}</LiveContext.Provider>
    </QueryClientProvider>
  );
}
