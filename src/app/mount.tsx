import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { Inference } from '@/inference/client';
import { InferenceProvider } from '@/inference/inference-provider';
import { App } from './app';
import './styles.css';

export function mount(el: HTMLElement, inference: Inference): void {
  createRoot(el).render(
    <StrictMode>
      <InferenceProvider client={inference}>
        <App />
      </InferenceProvider>
    </StrictMode>,
  );
}
