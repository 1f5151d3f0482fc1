import { describe, expect, it } from 'vitest';
import { InferenceClient } from './client';
import { loadFromName, type ToWorker } from './protocol';

class FakeWorker {
  sent: { msg: ToWorker; transfer: Transferable[] }[] = [];
  addEventListener() {}
  removeEventListener() {}
  postMessage(msg: ToWorker, transfer: Transferable[] = []) {
    this.sent.push({ msg, transfer });
  }
}

describe('InferenceClient: the load message', () => {
  it('names the domain the page opens on, asked once; helpers get the same slim manifest', () => {
    const main = new FakeWorker();
    const helper = new FakeWorker();
    const workers = [main, helper];
    let asked = 0;
    const client = new InferenceClient(
      () => workers.shift() as unknown as Worker,
      'http://x/models/manifest.core.json',
      () => {
        asked++;
        return 'device';
      },
    );
    client.start();
    client.start();
    client.startHelpers(1);
    expect(asked).toBe(1);
    expect(main.sent[0]).toEqual({ msg: { type: 'load', manifestUrl: 'http://x/models/manifest.core.json', first: 'device' }, transfer: [] });
    // A helper loads the same slim manifest and downloads its own copy of the runtime (it
    // starts later, when a batch view opens, so the cache usually has it by then).
    expect(helper.sent[0]!.msg).toEqual({ type: 'serve', manifestUrl: 'http://x/models/manifest.core.json', port: expect.any(MessagePort) });
    expect(main.sent.map((s) => s.msg.type)).toEqual(['load', 'attach-helper']);
  });

  it('sends a plain load message when the page opens on no domain', () => {
    const w = new FakeWorker();
    new InferenceClient(
      () => w as unknown as Worker,
      'm.json',
      () => null,
    ).start();
    expect(w.sent).toEqual([{ msg: { type: 'load', manifestUrl: 'm.json' }, transfer: [] }]);
  });

  /** A client started with these callbacks: the worker's name and the fake worker it was given. */
  function started(manifestUrl: string, first: () => string | null, keptFleet?: () => string | null) {
    const names: string[] = [];
    const w = new FakeWorker();
    new InferenceClient(
      (_, name) => {
        names.push(name);
        return w as unknown as Worker;
      },
      manifestUrl,
      first,
      keptFleet,
    ).start();
    return { names, w };
  }

  it("carries the load message in the worker's name too, read back the same by the worker", () => {
    const { names, w } = started('https://example.org/app/models/manifest.core.json?v=1&x=a b', () => 'heart');
    expect(names).toHaveLength(1);
    expect(names[0]!.startsWith('inference?')).toBe(true);
    expect(loadFromName(names[0]!)).toEqual(w.sent[0]!.msg);
    expect(loadFromName(names[0]!)).toEqual({
      type: 'load',
      manifestUrl: 'https://example.org/app/models/manifest.core.json?v=1&x=a b',
      first: 'heart',
    });
    // A helper's name, or a worker named by anyone else, carries none.
    expect(loadFromName('inference-helper-1')).toBeNull();
    expect(loadFromName('inference?first=heart')).toBeNull();
  });

  it('names the kept fleet the page opens on, in the message and in the name alike', () => {
    const { names, w } = started(
      'm.json',
      () => 'device',
      () => 'device',
    );
    expect(loadFromName(names[0]!)).toEqual({ type: 'load', manifestUrl: 'm.json', first: 'device', keptFleet: 'device' });
    expect(w.sent[0]!.msg).toEqual(loadFromName(names[0]!));
  });
});
