import { useId, useState } from 'react';
import type { DomainId } from '@/domain/manifest';
import { parseSeedRequest, seedModelId, seedResponse, seedSampleRequest } from '@/domain/seed-api';
import { useEngineStatus, useInference } from '@/inference/use-inference';

/** Paste a request body of the replaced service; get its response shape back, computed here. */
export function SeedJsonPanel({ domain }: { domain: DomainId }) {
  const id = useId();
  const inference = useInference();
  const status = useEngineStatus();
  const [text, setText] = useState(seedSampleRequest[domain]);
  const [errors, setErrors] = useState<string[]>([]);
  const [response, setResponse] = useState<string | null>(null);
  const modelId = seedModelId[domain];
  const model = status.state === 'ready' ? status.manifest.models.find((m) => m.id === modelId) : undefined;

  async function send() {
    setResponse(null);
    const r = parseSeedRequest(domain, text);
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
      setResponse(JSON.stringify(seedResponse(domain, model.class_labels, p!.labels[0]!, p!.p1[0]!), null, 2));
    } catch (e) {
      setErrors([(e as Error).message]);
    }
  }

  return (
    <section className="panel seed-json" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Seed-compatible JSON</h2>
      <p className="muted">
        Paste the body of a <code>POST /predict</code> request to the replaced {domain === 'heart' ? 'heart' : 'device'}{' '}
        service; the response is computed in this browser with <code>{modelId}</code>.
      </p>
      <label htmlFor={`${id}-req`}>Request body</label>
      <textarea
        id={`${id}-req`}
        rows={domain === 'heart' ? 16 : 11}
        spellCheck={false}
        value={text}
        onChange={(e) => setText(e.target.value)}
        aria-invalid={errors.length > 0 ? true : undefined}
        aria-describedby={errors.length ? `${id}-errors` : undefined}
      />
      <div className="actions">
        <button type="button" onClick={() => void send()} disabled={status.state !== 'ready'}>
          Send request
        </button>
        <button type="button" className="secondary" onClick={() => { setText(seedSampleRequest[domain]); setErrors([]); setResponse(null); }}>
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
