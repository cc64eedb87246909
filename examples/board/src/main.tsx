import { WeftProvider } from '@weft/react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.js';
import { connect } from './connection.js';
import './styles.css';

// The app itself is cached by a service worker, so that it opens without the server (the data
// is in IndexedDB). Not in development, where Vite serves the sources.
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  navigator.serviceWorker.register('/sw.js').catch((error: unknown) => {
    console.warn('the app will not open offline: no service worker', error);
  });
}

const root = createRoot(document.getElementById('root')!);
connect().then(
  (connection) => {
    root.render(
      <StrictMode>
        <WeftProvider space={connection.space} presence={connection.sync}>
          <App connection={connection} />
        </WeftProvider>
      </StrictMode>,
    );
  },
  (error: unknown) => {
    root.render(
      <p className="error" data-testid="error">
        Could not open the board: {error instanceof Error ? error.message : String(error)}
      </p>,
    );
  },
);
