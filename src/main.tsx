import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from '@/app/app';
import { inference } from '@/inference/client';
import '@/app/styles.css';

// Start loading the runtime and the models now, in parallel with the first render.
inference.start();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
