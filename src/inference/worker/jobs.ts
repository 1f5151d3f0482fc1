// What the inference worker needs only for batch files and fleet logs, loaded on the first such
// job (or when a batch view attaches helpers): the first prediction never waits for it.
export { getDomain } from '@/domain/domains';
export { FinishedBatches, runBatch } from './batch';
export { answerFleet } from './fleet-queries';
export { readKeptEarly } from './fleet-keep';
export { openKeptFleet } from './fleet-open';
export { runFleet, type FleetData } from './fleet-run';
export { warmBatch, warmFleet } from './job-warm';
