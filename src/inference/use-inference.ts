import { useSyncExternalStore } from 'react';
import { getDomain, isDomainId } from '@/domain/domains';
import type { DomainId, ModelEntry } from '@/domain/manifest';
import { modelsOf, type ModelInput } from '@/domain/model-list';
import type { EngineStatus } from './client';
import { useInference } from './inference-context';

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
