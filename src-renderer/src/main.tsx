// First: configures Zod before the contract's schemas are built (see the module).
import './zod-without-eval.js';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiProvider } from './api/api-context.js';
import { createDefaultApiClient } from './api/client.js';
import { App } from './app/app.js';
import './styles/theme.css';
import './styles/app.css';
import './styles/components.css';
import './styles/viewer.css';
import './styles/reports.css';

const container = document.getElementById('root');
if (container === null) throw new Error('index.html has no #root element');

// The only place that reads the page's globals for the backend: the client picks IPC or HTTP.
const client = createDefaultApiClient(window);

createRoot(container).render(
  <StrictMode>
    <ApiProvider client={client}>
      <App />
    </ApiProvider>
  </StrictMode>,
);
