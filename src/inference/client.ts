import type { Manifest } from '@/domain/manifest';
import type { Values } from '@/domain/to-vector';
import { WorkerBatchSession, type BatchSession } from './batch-session';
import { WorkerFleetSession, type FleetSession } from './fleet-session';
import type { JobLink } from './job-channel';
import { defaultHelperCount, JobsGate } from './jobs-gate';
import {
  nameWithLoad,
  type FileReading,
  type FromWorker,
  type KeepMode,
  type LoadMessage,
  type ModelPrediction,
  type ToHelper,
  type ToWorker,
  type WarmJob,
} from './protocol';

// The types features use, so that they never import the wire protocol itself.
export type { BatchEvent, BatchSession } from './batch-session';
export type { BatchRow, BatchRows } from './batch-rows';
export type { BatchProgress, BatchRowError, FileReading, ModelPrediction } from './protocol';
export type { FleetEvent, FleetSession } from './fleet-session';
export type { FleetAnswers, FleetProgress, FleetQuery, FleetSummary, HoldQuery, JobStatus, KeepInfo, KeepMode } from './protocol';
export type { Job, RefusedEvent } from './job-channel';

export type EngineStatus =
  | { state: 'loading'; stage: string; loaded: number; total: number }
  | { state: 'ready'; manifest: Manifest; loadMs: number; modelErrors: Record<string, string> }
  | { state: 'failed'; message: string };

export interface CallOptions {
  /** The caller stops waiting (predict), or the job is cancelled (scoreFile, openFleet: as its `cancel()`). */
  signal?: AbortSignal | undefined;
}

/**
 * What features use of the inference workers: promises and batch sessions, never messages.
 * InferenceClient is the real one; a test can provide any object of this shape (InferenceProvider).
 */
export interface Inference {
  /** For useSyncExternalStore: called on every status or helper change. Returns the unsubscribe. */
  subscribe(fn: () => void): () => void;
  getStatus(): EngineStatus;
  /** Helper workers loaded and warmed up, ready to score batch chunks (see startHelpers). */
  getHelpersReady(): number;
  /** The model list once the worker has checked it, before the models are ready (null until then). */
  getManifest(): Manifest | null;
  /** The manifest once every model has been tried; rejects when none can run. */
  load(): Promise<Manifest>;
  /** P(class 1) and labels of `rows` for each model, in the order of `modelIds`. */
  predict(modelIds: string[], rows: Values[], opts?: CallOptions): Promise<ModelPrediction[]>;
  /** Start helper workers for batches (a batch view calls this when it opens). */
  startHelpers(count?: number): void;
  /**
   * A batch or fleet view has opened with this model: helpers started, and the job's code
   * (reading, checks, features, scoring, ranking) run once on a small generated file in each
   * worker, so that the first file runs on compiled code.
   */
  prepareJob(job: WarmJob, modelId: string): void;
  /** Read and score a CSV file in the worker: iterate the session for its events. */
  scoreFile(file: Blob, modelId: string, opts?: CallOptions & { reading?: FileReading }): BatchSession;
  /** Read, score and rank a daily log in the worker with a history model (the Fleet view). */
  /** Read a log (a file) or open the workspace kept in this browser (null); `keep` keeps the file's log there. */
  openFleet(file: Blob | null, modelId: string, opts?: CallOptions & { keep?: KeepMode }): FleetSession;
}

/** The inference worker, or a helper worker (its own entry file, helper.worker.ts). */
export type WorkerRole = 'inference' | 'helper';

/** A job session as the client routes to it (JobChannel). */
interface WireJob {
  receive(m: FromWorker): void;
  fail(e: Error): void;
}

type Pending = { resolve: (p: ModelPrediction[]) => void; reject: (e: Error) => void };

const abortError = () => new DOMException('Aborted', 'AbortError');

/**
 * The page's handle on the inference worker: starts it once, exposes its status for
 * React (subscribe/getStatus), and turns messages into promises and batch sessions. Calls
 * made before the models are ready wait in the worker's queue.
 */
export class InferenceClient implements Inference {
  private worker: Worker | null = null;
  private status: EngineStatus = { state: 'loading', stage: 'starting', loaded: 0, total: 0 };
  private modelErrors: Record<string, string> = {};
  /** The model list, once the worker has checked it (before its sessions are ready). */
  private manifest: Manifest | null = null;
  private listeners = new Set<() => void>();
  private pending = new Map<number, Pending>();
  /** Batch and fleet sessions by job id, until released (answers and downloads outlive the events). */
  private jobs = new Map<number, WireJob>();
  private downloads = new Map<number, { resolve: (b: Blob) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private helpers: Worker[] = [];
  private helpersReady = 0;
  /** When helpers and job warm-ups may start (later on a page opening on a kept fleet: jobs-gate.ts). */
  private jobsGate = new JobsGate(false);

  constructor(
    private readonly createWorker: (role: WorkerRole, name: string) => Worker,
    /** Resolved at start(), so that importing this module needs no DOM. */
    private readonly manifestUrl: string | (() => string),
    /** Called once, at start(): the domain the page opens on (its models load first), if any. */
    private readonly firstDomain: () => string | null = () => null,
    /** Called once, at start(): the domain whose kept fleet the page opens on, if any. */
    private readonly keptFleet: () => string | null = () => null,
  ) {}

  /** Idempotent: the first call spawns the worker and starts loading the models. */
  start(): this {
    if (this.worker) return this;
    const first = this.firstDomain();
    const kept = this.keptFleet();
    const load: LoadMessage = {
      type: 'load',
      manifestUrl: this.resolvedManifestUrl(),
      ...(first ? { first } : {}),
      ...(kept ? { keptFleet: kept } : {}),
    };
    this.jobsGate = new JobsGate(Boolean(kept));
    // The worker starts loading from its name at once; the message is for a worker that reads no name.
    this.worker = this.createWorker('inference', nameWithLoad('inference', load));
    this.worker.addEventListener('message', this.onMessage);
    this.worker.addEventListener('error', this.onError);
    this.send(load);
    return this;
  }

  /**
   * Idempotent: start up to `count` helper workers (own runtime, own models) that score batch
   * chunks while the main worker parses, connected to it directly by a MessageChannel. Called
   * when a batch view opens, so that the helpers have loaded by the time a file is chosen; a
   * batch started before they are ready simply runs without them, and a helper that fails is
   * never used (it never says ready), so the page does not listen to helpers at all.
   */
  startHelpers(count = defaultHelperCount()): void {
    this.start();
    this.jobsGate.run(() => this.startHelpersNow(count));
  }

  private startHelpersNow(count: number): void {
    while (this.helpers.length < count) {
      const w = this.createWorker('helper', `inference-helper-${this.helpers.length + 1}`);
      const { port1, port2 } = new MessageChannel();
      w.postMessage({ type: 'serve', manifestUrl: this.resolvedManifestUrl(), port: port1 } satisfies ToHelper, [port1]);
      this.send({ type: 'attach-helper', port: port2 }, [port2]);
      this.helpers.push(w);
    }
  }

  prepareJob(job: WarmJob, modelId: string): void {
    this.startHelpers();
    this.jobsGate.run(() => this.send({ type: 'warm-job', job, modelId }));
  }

  /** Stop every worker and fail what waits on them (tests, or a provider that owns its client). */
  dispose(): void {
    this.worker?.removeEventListener('message', this.onMessage);
    this.worker?.removeEventListener('error', this.onError);
    this.worker?.terminate();
    for (const h of this.helpers) h.terminate();
    this.helpers = [];
    this.failAll(new Error('The inference client was stopped'));
    // load() callers wait for a status: tell them, then forget every subscriber.
    this.setStatus({ state: 'failed', message: 'The inference client was stopped' });
    this.listeners.clear();
  }

  private resolvedManifestUrl(): string {
    return typeof this.manifestUrl === 'string' ? this.manifestUrl : this.manifestUrl();
  }

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getStatus = (): EngineStatus => this.status;

  getHelpersReady = (): number => this.helpersReady;

  getManifest = (): Manifest | null => this.manifest;

  load(): Promise<Manifest> {
    this.start();
    return new Promise((resolve, reject) => {
      const check = () => {
        const s = this.status;
        if (s.state === 'loading') return false;
        off();
        if (s.state === 'ready') resolve(s.manifest);
        else reject(new Error(s.message));
        return true;
      };
      const off = this.subscribe(check);
      check();
    });
  }

  predict(modelIds: string[], rows: Values[], opts: CallOptions = {}): Promise<ModelPrediction[]> {
    const { signal } = opts;
    this.start();
    const id = this.nextId++;
    return new Promise<ModelPrediction[]>((resolve, reject) => {
      if (signal?.aborted) return reject(abortError());
      // The worker finishes the call, but the caller stops waiting for it.
      const onAbort = () => {
        this.pending.delete(id);
        reject(abortError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const settle = () => signal?.removeEventListener('abort', onAbort);
      this.pending.set(id, {
        resolve: (p) => (settle(), resolve(p)),
        reject: (e) => (settle(), reject(e)),
      });
      this.send({ type: 'predict', id, modelIds, rows });
    });
  }

  scoreFile(file: Blob, modelId: string, opts: CallOptions & { reading?: FileReading } = {}): BatchSession {
    const { signal, reading } = opts;
    return this.openJob(
      signal,
      (id, link) => new WorkerBatchSession(file, modelId, link, (threshold) => this.download(id, threshold)),
      (id) => ({ type: 'batch', id, modelId, file, ...(reading ? { reading } : {}) }),
    );
  }

  openFleet(file: Blob | null, modelId: string, opts: CallOptions & { keep?: KeepMode } = {}): FleetSession {
    const { keep } = opts;
    return this.openJob(
      opts.signal,
      (id, link) => new WorkerFleetSession(file ?? new Blob([]), modelId, link, (qid, query) => this.send({ type: 'fleet-query', id, qid, query })),
      // No file: the workspace kept in this browser.
      (id) => (file ? { type: 'fleet', id, modelId, file, ...(keep ? { keep } : {}) } : { type: 'fleet-open', id, modelId }),
    );
  }

  /** One way to start, cancel (the session's `cancel()`, which the signal calls) and release every kind of job. */
  private openJob<S extends { cancel(): void }>(
    signal: AbortSignal | undefined,
    make: (id: number, link: JobLink) => S,
    startMsg: (id: number) => ToWorker,
  ): S {
    this.start();
    const id = this.nextId++;
    const onAbort = () => session.cancel();
    const session = make(id, {
      cancel: () => this.send({ type: 'cancel', id }),
      ended: () => signal?.removeEventListener('abort', onAbort),
      release: () => {
        this.jobs.delete(id);
        this.send({ type: 'release', id });
      },
    });
    // Each session reads only its own kind's messages: the worker sends a job no other kind.
    this.jobs.set(id, session as unknown as WireJob);
    signal?.addEventListener('abort', onAbort, { once: true });
    this.send(startMsg(id));
    if (signal?.aborted) onAbort();
    return session;
  }

  /** The CSV download of a finished batch, written by the worker on request. */
  private download(batchId: number, threshold?: number): Promise<Blob> {
    return new Promise((resolve, reject) => {
      this.downloads.set(batchId, { resolve, reject });
      this.send(threshold === undefined ? { type: 'download', id: batchId } : { type: 'download', id: batchId, threshold });
    });
  }

  private send(msg: ToWorker, transfer: Transferable[] = []): void {
    this.worker!.postMessage(msg, transfer);
  }

  private setStatus(s: EngineStatus): void {
    this.status = s;
    this.notify();
  }

  private notify(): void {
    for (const l of this.listeners) l();
  }

  private failAll(e: Error): void {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
    for (const d of this.downloads.values()) d.reject(e);
    this.downloads.clear();
    for (const j of this.jobs.values()) j.fail(e);
    this.jobs.clear();
  }

  private onError = (ev: ErrorEvent): void => {
    const message = `The inference worker failed: ${ev.message}`;
    this.setStatus({ state: 'failed', message });
    this.failAll(new Error(message));
  };

  private onFatal(message: string): void {
    this.setStatus({ state: 'failed', message });
    for (const p of this.pending.values()) p.reject(new Error(message));
    this.pending.clear();
  }

  private onMessage = (ev: MessageEvent<FromWorker>): void => {
    const msg = ev.data;
    switch (msg.type) {
      case 'loading':
        this.setStatus({ state: 'loading', stage: msg.stage, loaded: msg.loaded, total: msg.total });
        return;
      case 'manifest':
        // Only getManifest's readers render again: the status is unchanged.
        this.manifest = msg.manifest;
        this.notify();
        return;
      case 'ready':
        markStages(msg.stages);
        // The list came once, in 'manifest': the views keep the same object from then on.
        if (this.manifest) this.setStatus({ state: 'ready', manifest: this.manifest, loadMs: msg.loadMs, modelErrors: { ...this.modelErrors } });
        else this.onFatal('The inference worker said it was ready before it sent its model list.');
        return;
      case 'fatal':
        this.onFatal(msg.message);
        return;
      case 'model-error':
        this.modelErrors = { ...this.modelErrors, [msg.modelId]: msg.message };
        if (this.status.state === 'ready') this.setStatus({ ...this.status, modelErrors: this.modelErrors });
        return;
      case 'result':
        this.pending.get(msg.id)?.resolve(msg.predictions);
        this.pending.delete(msg.id);
        return;
      case 'helper-ready':
        this.helpersReady++;
        this.notify();
        return;
      case 'download-ready':
        this.downloads.get(msg.id)?.resolve(msg.blob);
        this.downloads.delete(msg.id);
        return;
      case 'error': {
        const d = this.downloads.get(msg.id);
        if (d) {
          d.reject(new Error(msg.message));
          this.downloads.delete(msg.id);
          return;
        }
        const p = this.pending.get(msg.id);
        if (p) {
          p.reject(new Error(msg.message));
          this.pending.delete(msg.id);
        }
        this.jobs.get(msg.id)?.receive(msg);
        return;
      }
      default:
        // A batch or fleet job's message: its session turns it into events or answers.
        this.jobsGate.answered();
        this.jobs.get(msg.id)?.receive(msg);
    }
  };
}

/** The worker's start, stage by stage, as page marks `prognos:<stage>` at the time each ended (read by bench/app.mjs). */
function markStages(stages: Record<string, number | null> | undefined): void {
  if (!stages || typeof performance.mark !== 'function' || typeof performance.timeOrigin !== 'number') return;
  for (const [name, at] of Object.entries(stages)) {
    if (typeof at === 'number') performance.mark(`prognos:${name}`, { startTime: Math.max(0, at - performance.timeOrigin) });
  }
}
