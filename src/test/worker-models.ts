// Test-only: what the worker tests run on: the committed model list and model files in the real
// engine (onnxruntime-web, one thread, as in a worker), both domains and the device's fleet model.
import * as ort from 'onnxruntime-web';
import { getDomain } from '@/domain/domains';
import { Engine } from '@/inference/worker/engine';
import { readManifest, readModelBytes } from './golden';

ort.env.wasm.numThreads = 1;

export const manifest = readManifest();
export const engine = new Engine(ort, readModelBytes);
export const device = getDomain('device');
export const heart = getDomain('heart');
/** The device model that reads a device's history: the one a fleet log is scored with. */
export const fleetModel = manifest.models.find((m) => m.domain === 'device' && device.historyModelIds.includes(m.id))!;
export const heartModels = manifest.models.filter((m) => m.domain === 'heart');
