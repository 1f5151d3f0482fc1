/// <reference lib="webworker" />
// First, for its side effect: the runtime's download starts before anything else is evaluated.
import './runtime-prefetch';
import { errorMessage } from '@/domain/errors';
import { loadFromName, type FromWorker, type ToWorker } from '@/inference/protocol';
import type { FleetData, FinishedBatches } from './jobs';
import { loadModels, runtimeAfter, warmFirst, warmUp, type LoadedModels, type ModelList } from './load-models';
import { PortScorer } from './scorers';

/** Batch and fleet code, loaded once, on the first job that needs it. */
let jobCode: Promise<typeof import('./jobs')> | null = null;
const jobs = () => (jobCode ??= import('./jobs'));

declare const self: DedicatedWorkerGlobalScope;

/** When this script (and everything it imports) had been evaluated, for the bench's breakdown. */
const workerEvaluated = performance.timeOrigin + performance.now();

/** A job this worker is running (a batch, a fleet log): Cancel aborts it; released by the page, its results are not kept. */
interface Running {
  ac: AbortController;
  released: boolean;
  /** A fleet run's end (its log kept or not): a question asked while it reads or scores waits for it. */
  done?: Promise<void>;
}

/** What a job does, its record telling it whether it was cancelled or released. */
type JobWork = (run: Running) => Promise<void>;

/** The page's message of one type. */
type Msg<T extends ToWorker['type']> = Extract<ToWorker, { type: T }>;

/**
 * The page's inference worker: loads the models once, answers predictions, and reads and
 * scores batch files (with helper workers when the page attaches some). Its state lives in
 * this one object, created once per worker.
 */
class InferenceWorker {
  private models: Promise<LoadedModels> | null = null;
  /** The checked model list, before the sessions (settled when `models` fails first). */
  private list: Promise<ModelList> | null = null;
  private warm: Promise<LoadedModels> | null = null;
  private readonly running = new Map<number, Running>();
  private restTimer: ReturnType<typeof setTimeout> | null = null;
  private finishedBatches: FinishedBatches | null = null;
  private readonly helpers: PortScorer[] = [];
  /** The scored log of the Fleet view, by run id: the newest only (each holds the whole log). */
  private readonly fleets = new Map<number, FleetData>();
  /** A warm-up running (warm-job): stopped when a real job starts. */
  private warming: AbortController | null = null;

  constructor(private readonly post: (msg: FromWorker, transfer?: Transferable[]) => void) {}

  /** The checked model list; before `load`, none. */
  private modelList(): Promise<ModelList> {
    return this.list ?? Promise.reject(new Error('The models are not available'));
  }

  /** The loaded models; calls made before `load` wait for it (the client always sends it first). */
  private loaded(): Promise<LoadedModels> {
    if (!this.models) return Promise.reject(new Error('The models are not available'));
    return this.models;
  }

  private async finished(): Promise<FinishedBatches> {
    const { FinishedBatches } = await jobs();
    return (this.finishedBatches ??= new FinishedBatches());
  }

  /** The sessions the first view did not need, created in the background (once). */
  private loadRest(): void {
    if (this.restTimer !== null) clearTimeout(this.restTimer);
    this.restTimer = null;
    void this.models?.then((m) => m.loadRest()).catch(() => undefined);
  }

  /** Once per worker: warmed up only when a batch view opens (predictions do not need it). */
  private warmUp(): Promise<LoadedModels> {
    this.warm ??= this.loaded().then(warmUp);
    return this.warm;
  }

  /** One lifecycle for every job: cancellable by id, released or not, its failure posted as the job's error. */
  private runJob(id: number, work: JobWork, fleet = false): Promise<void> {
    const run: Running = { ac: new AbortController(), released: false };
    this.running.set(id, run);
    this.warming?.abort();
    const done = this.settle(id, run, work);
    if (fleet) run.done = done;
    return done;
  }

  /** A fleet run (a file, or the kept workspace), its questions answered once it is done. */
  private runFleetJob(id: number, work: JobWork): Promise<void> {
    return this.runJob(id, work, true);
  }

  /** A job's work; never rejects (a failure is posted as the job's error). */
  private async settle(id: number, run: Running, work: JobWork): Promise<void> {
    try {
      await work(run);
    } catch (e) {
      this.post({ type: 'error', id, message: errorMessage(e) });
    } finally {
      this.running.delete(id);
    }
  }

  /** The newest scored log only: each holds a whole fleet. */
  private keepFleet(id: number, data: FleetData | null, run: Running): void {
    if (!data || run.released) return;
    this.fleets.clear();
    this.fleets.set(id, data);
  }

  async handle(msg: ToWorker): Promise<void> {
    switch (msg.type) {
      case 'load':
        return this.load(msg);
      case 'predict':
        return this.predict(msg);
      case 'batch':
        return this.batch(msg);
      case 'fleet':
        return this.fleet(msg);
      case 'fleet-open':
        return this.fleetOpen(msg);
      case 'fleet-query':
        return this.fleetQuery(msg);
      case 'cancel':
        this.running.get(msg.id)?.ac.abort();
        return;
      case 'release':
        return this.release(msg.id);
      case 'download':
        return this.download(msg);
      case 'warm-job':
        return this.warmJob(msg);
      case 'attach-helper':
        this.helpers.push(new PortScorer(msg.port, () => this.post({ type: 'helper-ready', helpers: this.helpers.length })));
        // A batch view has opened: warm this worker up too while the user picks a file.
        void this.warmUp().catch(() => undefined);
        void jobs();
        return;
    }
  }

  private load(msg: Msg<'load'>): void {
    if (this.models) return;
    const t0 = performance.now();
    // The page opens on a kept fleet: read it now, while the page draws; the sessions' work waits for it.
    if (msg.keptFleet) runtimeAfter(jobs().then((j) => j.readKeptEarly(msg.keptFleet!)));
    let listed!: (list: ModelList) => void;
    this.list = new Promise<ModelList>((resolve) => (listed = resolve));
    this.models = loadModels(
      msg.manifestUrl,
      (e) => this.post(e),
      msg.first,
      (list) => {
        listed(list);
        this.post({ type: 'manifest', manifest: list.manifest });
      },
    );
    // A load that fails before the list is checked fails the list too.
    this.list = Promise.race([this.list, this.models]);
    this.list.catch(() => undefined); // the load's own failure is posted as fatal
    this.models.then(
      (m) => {
        this.post({
          type: 'ready',
          loadMs: performance.now() - t0,
          stages: { workerStart: performance.timeOrigin, workerEvaluated, loadAsked: t0 + performance.timeOrigin, ...m.stages },
        });
        void warmFirst(m);
        // The other views' models, once the first view has had its first prediction (or a moment to get one).
        this.restTimer = setTimeout(() => this.loadRest(), REST_AFTER_MS);
      },
      (e: unknown) => this.post({ type: 'fatal', message: errorMessage(e) }),
    );
  }

  private async predict(msg: Msg<'predict'>): Promise<void> {
    try {
      const m = await this.loaded();
      const predictions = [];
      for (const id of msg.modelIds) predictions.push(await m.engine.runRows(m.model(id), msg.rows));
      this.post(
        { type: 'result', id: msg.id, predictions },
        predictions.flatMap((p) => [p.p1.buffer, p.labels.buffer]),
      );
      this.loadRest();
    } catch (e) {
      this.post({ type: 'error', id: msg.id, message: errorMessage(e) });
    }
  }

  private batch(msg: Msg<'batch'>): Promise<void> {
    return this.runJob(msg.id, async (run) => {
      const m = await this.loaded();
      const { runBatch } = await jobs();
      const finished = await this.finished();
      const scored = await runBatch(m.engine, m.model(msg.modelId), msg.file, {
        id: msg.id,
        chunkRows: msg.chunkRows,
        reading: msg.reading,
        post: this.post,
        signal: run.ac.signal,
        helpers: this.helpers,
      });
      if (scored && !run.released) finished.keep(msg.id, scored);
    });
  }

  private fleet(msg: Msg<'fleet'>): Promise<void> {
    return this.runFleetJob(msg.id, async (run) => {
      const m = await this.loaded();
      const { getDomain, runFleet } = await jobs();
      const model = m.model(msg.modelId);
      const data = await runFleet(m.engine, model, getDomain(model.domain), msg.file, {
        id: msg.id,
        post: this.post,
        signal: run.ac.signal,
        helpers: this.helpers,
        keep: msg.keep,
      });
      this.keepFleet(msg.id, data, run);
    });
  }

  private fleetOpen(msg: Msg<'fleet-open'>): Promise<void> {
    // The model list is all a kept log needs (it was scored when kept): it opens before the
    // sessions exist, and the sessions' work on this thread waits until it is open, or until it
    // asks for them (another model version must score it again).
    let release!: () => void;
    runtimeAfter(new Promise<void>((resolve) => (release = resolve)));
    const engine = async () => {
      release();
      return (await this.loaded()).engine;
    };
    const done = this.runFleetJob(msg.id, async (run) => {
      const list = await this.modelList();
      const { getDomain, openKeptFleet } = await jobs();
      const model = list.model(msg.modelId);
      const data = await openKeptFleet(engine, model, getDomain(model.domain), {
        id: msg.id,
        post: this.post,
        signal: run.ac.signal,
        helpers: this.helpers,
      });
      this.keepFleet(msg.id, data, run);
    });
    void done.finally(release);
    return done;
  }

  private async fleetQuery(msg: Msg<'fleet-query'>): Promise<void> {
    // The page asks for the first day's list while the log is read: answered the moment it is ranked.
    await this.running.get(msg.id)?.done;
    const d = this.fleets.get(msg.id);
    try {
      if (!d) throw new Error('This log is no longer in memory: load it again');
      const { answerFleet } = await jobs();
      const answer = answerFleet(d, msg.query);
      this.post({ type: 'fleet-answer', id: msg.id, qid: msg.qid, answer });
    } catch (e) {
      this.post({ type: 'fleet-query-error', id: msg.id, qid: msg.qid, message: errorMessage(e) });
    }
  }

  private release(id: number): void {
    const run = this.running.get(id);
    if (run) {
      run.released = true;
      run.ac.abort();
    }
    this.finishedBatches?.release(id);
    this.fleets.delete(id);
  }

  private async download(msg: Msg<'download'>): Promise<void> {
    try {
      const finished = await this.finished();
      this.post({ type: 'download-ready', id: msg.id, blob: await finished.download(msg.id, msg.threshold) });
    } catch (e) {
      this.post({ type: 'error', id: msg.id, message: errorMessage(e) });
    }
  }

  private async warmJob(msg: Msg<'warm-job'>): Promise<void> {
    const ac = new AbortController();
    this.warming?.abort();
    this.warming = ac;
    try {
      const m = await this.warmUp();
      const { warmBatch, warmFleet } = await jobs();
      const model = m.model(msg.modelId);
      if (msg.job === 'fleet') await warmFleet(m.engine, model, this.helpers, ac.signal);
      else
        await warmBatch(
          m.engine,
          model,
          m.manifest.models.filter((x) => x.domain === model.domain),
          this.helpers,
          ac.signal,
        );
    } catch {
      // A warm-up that fails costs nothing: the first file runs as it would have.
    } finally {
      if (this.warming === ac) this.warming = null;
    }
  }
}

/** When the first view's models are ready, how long the first prediction has before the other models load. */
const REST_AFTER_MS = 3000;

const worker = new InferenceWorker((msg, transfer = []) => self.postMessage(msg, transfer));
self.addEventListener('message', (ev: MessageEvent<ToWorker>) => void worker.handle(ev.data));
// Start loading now if the name says what (the page's load message, arriving later, is then a no-op).
const load = loadFromName(self.name);
if (load) void worker.handle(load);
