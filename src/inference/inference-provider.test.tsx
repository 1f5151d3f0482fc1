import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { Inference } from './client';
import { InferenceProvider } from './inference-provider';
import { useInference } from './use-inference';

function HelperCount() {
  return <p>{useInference().getHelpersReady()} helpers</p>;
}

describe('InferenceProvider', () => {
  it('gives the views below it the client it is handed (a fake here)', () => {
    const fake = { getHelpersReady: () => 2 } as Partial<Inference> as Inference;
    expect(
      renderToString(
        <InferenceProvider client={fake}>
          <HelperCount />
        </InferenceProvider>,
      ),
    ).toContain('2<!-- --> helpers');
  });

  it('says what is missing when a view has no provider above it', () => {
    expect(() => renderToString(<HelperCount />)).toThrow('needs an <InferenceProvider>');
  });
});
