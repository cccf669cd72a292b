import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { ApiClient, Session } from './client.js';

const ApiContext = createContext<ApiClient | null>(null);

/** Makes one ApiClient available to every screen; created once in main.tsx. */
export function ApiProvider({ client, children }: { client: ApiClient; children: ReactNode }) {
  return <ApiContext.Provider value={client}>{children}</ApiContext.Provider>;
}

export function useApi(): ApiClient {
  const client = useContext(ApiContext);
  if (client === null) throw new Error('useApi() needs an <ApiProvider> above it.');
  return client;
}

/** The logged-in session, re-rendering when it starts, ends or expires. */
export function useSession(): Session | null {
  const api = useApi();
  return useSyncExternalStore(api.onSessionChange, api.getSession);
}
