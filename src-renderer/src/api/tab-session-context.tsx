import { createContext, useContext, type ReactNode } from 'react';
import type { TabSession } from './tab-session.js';

const TabSessionContext = createContext<TabSession | null>(null);

/** The tab's link to the other tabs of the browser (none in the desktop app's tests). */
export function TabSessionProvider({
  tabs,
  children,
}: {
  tabs: TabSession | null;
  children: ReactNode;
}) {
  return <TabSessionContext.Provider value={tabs}>{children}</TabSessionContext.Provider>;
}

export function useTabSession(): TabSession | null {
  return useContext(TabSessionContext);
}
