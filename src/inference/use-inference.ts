import { useEffect, useSyncExternalStore } from 'react';
import { getDomain, isDomainId } from '@/domain/domains';
import type { DomainId, ModelEntry } from '@/domain/manifest';
import { modelsOf, type ModelInput } from '@/domain/model-list';
import type { EngineStatus } from './client';
import { useInference } from './inference-context';
import type { WarmJob } from './protocol';

export { useInference } from './inference-context';

/** The engine's loading state for React components. */
export function useEngineStatus(): EngineStatus {
  const client = useInference();
  return useSyncExternalStore(client.subscribe, client.getStatus);
}

/** Helper workers ready to score batch chunks (0 until they have loaded). */
export function useHelpersReady(): number {
  const client = useInference();
  return useSyncExternalStore(client.subscribe, client.getHelpersReady);
}

/** The manifest's models of a domain that read `input` once the engine is ready, defaults first. */
export function useDomainModels(
  domain: DomainId,
  input: ModelInput = 'fields',
): { models: ModelEntry[]; errors: Record<string, string>; ready: boolean } {
  const status = useEngineStatus();
  if (status.state !== 'ready') return { models: [], errors: {}, ready: false };
  // The declaration names its history models, also for manifests that do not say `input`.
  const historyIds = isDomainId(domain) ? getDomain(domain).historyModelIds : [];
  const models = modelsOf(status.manifest, domain, input, historyIds).sort((a, b) => Number(b.default) - Number(a.default));
  return { models, errors: status.modelErrors, ready: true };
}

/**
 * A batch or fleet view: helper workers started when it opens (ready by the time a file is
 * chosen), and, once its model is known, the job's code warmed up while the user picks a file.
 */
export function usePreparedJob(job: WarmJob, modelId: string | null): void {
  const inference = useInference();
  useEffect(() => inference.startHelpers(), [inference]);
  useEffect(() => {
    if (modelId) inference.prepareJob(job, modelId);
  }, [inference, job, modelId]);
}
