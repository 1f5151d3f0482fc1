import { describe, expect, it } from 'vitest';
import { href, parseRoute } from './router';

describe('hash routes', () => {
  it.each([
    ['', { view: 'predict', domain: 'heart' }],
    ['#/heart', { view: 'predict', domain: 'heart' }],
    ['#/device', { view: 'predict', domain: 'device' }],
    ['#/device/batch', { view: 'batch', domain: 'device' }],
    ['#/heart/batch', { view: 'batch', domain: 'heart' }],
    ['#/models', { view: 'models' }],
    ['#/integration', { view: 'integration' }],
    ['#/history', { view: 'history' }],
    ['#/nonsense', { view: 'predict', domain: 'heart' }],
  ])('%s', (hash, route) => {
    expect(parseRoute(hash)).toEqual(route);
  });
  it('round-trips', () => {
    for (const h of ['#/heart', '#/device', '#/device/batch', '#/models', '#/integration', '#/history']) expect(href(parseRoute(h))).toBe(h);
  });
});

describe('fleet routes', () => {
  it('exist for a domain with history and a history model, with an optional device id', () => {
    const fleetOf = (id: string) => id === 'device';
    const isDomain = (id: string) => id === 'device' || id === 'heart';
    expect(parseRoute('#/device/fleet', isDomain, 'heart', fleetOf)).toEqual({ view: 'fleet', domain: 'device', device: null });
    expect(parseRoute('#/device/fleet/S1F0%2FX', isDomain, 'heart', fleetOf)).toEqual({ view: 'fleet', domain: 'device', device: 'S1F0/X' });
    expect(parseRoute('#/heart/fleet', isDomain, 'heart', fleetOf)).toEqual({ view: 'predict', domain: 'heart' });
    expect(href({ view: 'fleet', domain: 'device', device: 'S1F0/X' })).toBe('#/device/fleet/S1F0%2FX');
    expect(parseRoute(href({ view: 'fleet', domain: 'device', device: 'a b' }), isDomain, 'heart', fleetOf)).toEqual({
      view: 'fleet',
      domain: 'device',
      device: 'a b',
    });
  });
});
