// First: configures Zod before the contract's schemas are built (see the module).
import './zod-without-eval.js';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiProvider } from './api/api-context.js';
import { createDefaultApiClient } from './api/client.js';
import { shareSessionBetweenTabs, TAB_CHANNEL_NAME } from './api/tab-session.js';
import { TabSessionProvider } from './api/tab-session-context.js';
import { App } from './app/app.js';
import './styles/theme.css';
import './styles/app.css';
import './styles/components.css';
import './styles/viewer.css';
import './styles/worklist.css';
import './styles/summaries.css';
import './styles/masks-patients.css';
import './styles/reports.css';
import './styles/mpr.css';
import './styles/accounts.css';
import './styles/sync.css';
import './styles/dental.css';

const container = document.getElementById('root');
if (container === null) throw new Error('index.html has no #root element');

// The only place that reads the page's globals for the backend: the client picks IPC or HTTP.
const client = createDefaultApiClient(window);
// One login for the tabs of this browser (docs/viewer-habits.md): the session is handed over a
// BroadcastChannel, never written to localStorage.
const tabs =
  typeof BroadcastChannel === 'undefined'
    ? null
    : shareSessionBetweenTabs(client, new BroadcastChannel(TAB_CHANNEL_NAME));

createRoot(container).render(
  <StrictMode>
    <ApiProvider client={client}>
      <TabSessionProvider tabs={tabs}>
        <App />
      </TabSessionProvider>
    </ApiProvider>
  </StrictMode>,
);
