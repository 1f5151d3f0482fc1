import { useEffect, useSyncExternalStore } from 'react';
import { getDomain, isDomainId } from '@/domain/domains';
import type { DomainId, Manifest, ModelEntry } from '@/domain/manifest';
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

/** A manifest's models of a domain that read `input`, defaults first. */
function domainModels(manifest: Manifest, domain: DomainId, input: ModelInput): ModelEntry[] {
  // The declaration names its history models, also for manifests that do not say `input`.
  const historyIds = isDomainId(domain) ? getDomain(domain).historyModelIds : [];
  return modelsOf(manifest, domain, input, historyIds).sort((a, b) => Number(b.default) - Number(a.default));
}

/** The manifest's models of a domain that read `input` once the engine is ready, defaults first. */
export function useDomainModels(
  domain: DomainId,
  input: ModelInput = 'fields',
): { models: ModelEntry[]; errors: Record<string, string>; ready: boolean } {
  const status = useEngineStatus();
  if (status.state !== 'ready') return { models: [], errors: {}, ready: false };
  return { models: domainModels(status.manifest, domain, input), errors: status.modelErrors, ready: true };
}

/**
 * useDomainModels, with the models listed as soon as the worker has checked the model list,
 * before their sessions exist (`ready` stays false until they do): for what needs the list
 * only, such as opening a kept fleet.
 */
export function useDomainModelsEarly(domain: DomainId, input: ModelInput): ReturnType<typeof useDomainModels> {
  const client = useInference();
  const manifest = useSyncExternalStore(client.subscribe, client.getManifest);
  const now = useDomainModels(domain, input);
  if (now.ready || !manifest) return now;
  return { models: domainModels(manifest, domain, input), errors: {}, ready: false };
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
