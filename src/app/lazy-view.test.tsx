import { renderToString } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import { lazyView } from './lazy-view';

function Greeting({ name }: { name: string }) {
  return <p>Hello {name}</p>;
}

describe('lazyView', () => {
  it('loads the view once however often it is asked, and renders it with its props once loaded', async () => {
    const importView = vi.fn(() => Promise.resolve(Greeting));
    const { View, load } = lazyView(importView);
    expect(renderToString(<View name="Ada" />)).toContain('Loading…');
    const [a, b] = await Promise.all([load(), load()]);
    expect(a).toBe(Greeting);
    expect(b).toBe(Greeting);
    expect(importView).toHaveBeenCalledTimes(1);
    // Loaded before its first render (the route the page opens on): no "Loading…" at all.
    expect(renderToString(<View name="Ada" />)).toBe('<p>Hello <!-- -->Ada</p>');
  });

  it('tries again after a failed load (a chunk the network lost), instead of keeping the failure', async () => {
    const importView = vi.fn<() => Promise<typeof Greeting>>().mockRejectedValueOnce(new Error('Failed to fetch')).mockResolvedValueOnce(Greeting);
    const { View, load } = lazyView(importView);
    await expect(load()).rejects.toThrow('Failed to fetch');
    expect(renderToString(<View name="Bo" />)).toContain('Loading…');
    await expect(load()).resolves.toBe(Greeting);
    expect(importView).toHaveBeenCalledTimes(2);
    expect(renderToString(<View name="Bo" />)).toContain('Bo');
  });
});
