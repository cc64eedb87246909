import { WeftProvider } from '@weft/react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.js';
import { connect } from './connection.js';
import './styles.css';

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
