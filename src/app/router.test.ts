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
