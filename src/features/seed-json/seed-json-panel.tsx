import { useId, useState } from 'react';
import { getDomain, type DomainId, type SeedService } from '@/domain/domains';
import { errorMessage } from '@/domain/errors';
import { parseSeedRequest, seedResponse, seedSampleRequest } from '@/domain/seed-api';
import { useEngineStatus, useInference } from '@/inference/use-inference';

/** Paste a request body of the replaced service; get its response shape back, computed here. */
export function SeedJsonPanel({ domain }: { domain: DomainId }) {
  const seed = getDomain(domain).seed;
  // A domain that replaces no service has no panel.
  return seed ? <SeedJsonForm domain={domain} seed={seed} /> : null;
}

function SeedJsonForm({ domain, seed }: { domain: DomainId; seed: SeedService }) {
  const id = useId();
  const spec = getDomain(domain);
  const sample = seedSampleRequest(seed);
  const { ready, text, setText, errors, response, send, reset } = useSeedRequest(domain, seed, sample);
  const modelId = seed.modelId;

  return (
    <section className="panel seed-json" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>
        {spec.title}: the replaced {seed.name} service
      </h2>
      <p className="muted">
        Paste the body of a <code>POST /predict</code> request to the replaced {seed.name} service; the response is computed in this browser with{' '}
        <code>{modelId}</code>. Preloaded: {spec.seedSampleLabel ?? 'its sample request'}.
      </p>
      <label htmlFor={`${id}-req`}>Request body</label>
      <textarea
        id={`${id}-req`}
        rows={sample.split('\n').length + 1}
        spellCheck={false}
        value={text}
        onChange={(e) => setText(e.target.value)}
        aria-invalid={errors.length > 0 ? true : undefined}
        aria-describedby={errors.length ? `${id}-errors` : undefined}
      />
      <div className="actions">
        <button type="button" onClick={() => void send()} disabled={!ready}>
          Send request
        </button>
        <button type="button" className="secondary" onClick={reset}>
          Sample request
        </button>
      </div>
      {errors.length > 0 && (
        <div id={`${id}-errors`} className="error-summary" role="alert">
          <h3>The request was refused; nothing was predicted</h3>
          <ul>
            {errors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        </div>
      )}
      {response && (
        <>
          <label htmlFor={`${id}-res`}>Response body</label>
          <output id={`${id}-res`} className="json-output" aria-label="Response body">
            <pre>{response}</pre>
          </output>
        </>
      )}
    </section>
  );
}

/** The request typed, and what came of sending it: the refusals, or the response body, computed here. */
function useSeedRequest(domain: DomainId, seed: SeedService, sample: string) {
  const inference = useInference();
  const status = useEngineStatus();
  const [text, setText] = useState(sample);
  const [errors, setErrors] = useState<string[]>([]);
  const [response, setResponse] = useState<string | null>(null);
  const modelId = seed.modelId;
  const model = status.state === 'ready' ? status.manifest.models.find((m) => m.id === modelId) : undefined;

  async function send() {
    setResponse(null);
    const r = parseSeedRequest(getDomain(domain), text);
    if (!r.ok) {
      setErrors(r.errors);
      return;
    }
    if (!model) {
      setErrors([`The model ${modelId} is not available`]);
      return;
    }
    setErrors([]);
    try {
      const [p] = await inference.predict([model.id], [r.values]);
      setResponse(JSON.stringify(seedResponse(seed, model.class_labels, p!.labels[0]!, p!.p1[0]!), null, 2));
    } catch (e) {
      setErrors([errorMessage(e)]);
    }
  }
  function reset() {
    setText(sample);
    setErrors([]);
    setResponse(null);
  }

  return { ready: status.state === 'ready', text, setText, errors, response, send, reset };
}
