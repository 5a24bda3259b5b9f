import { describe, expect, it } from 'vitest';
import { applyToRequest, compileHeaderOps, requestHeaderAfter, type HeaderOps } from '../../../src/sandbox/dataplane/header-ops.js';

const ops = (request: Record<string, unknown>): HeaderOps => {
  const compiled = compileHeaderOps({ request }).request;
  if (!compiled) throw new Error('no operations');
  return compiled;
};

/** Route-level then destination-level operations, as a route decision lists them. */
const LISTS: Record<string, HeaderOps[]> = {
  none: [],
  set: [ops({ set: { 'seldon-model': 'iris', 'X-Seldon-Route': ':a:' } })],
  add: [ops({ add: { 'x-seldon-route': ':b:', 'x-request-id': 'added' } })],
  remove: [ops({ remove: ['x-request-id', 'Seldon-Model'] })],
  'set then add': [ops({ set: { 'seldon-model': 'first' } }), ops({ add: { 'seldon-model': 'second', 'x-seldon-route': ':c:' } })],
  'remove then set': [ops({ remove: ['seldon-model'] }), ops({ set: { 'seldon-model': 'again' } })],
  'add then remove': [ops({ add: { 'x-seldon-route': ':d:' } }), ops({ remove: ['x-seldon-route'] })],
  'set, add and remove in one block': [ops({ set: { 'x-request-id': 's' }, add: { 'x-request-id': 'a' }, remove: ['x-request-id'] })],
};

const REQUESTS: Array<Record<string, string | string[] | undefined>> = [
  {},
  { 'seldon-model': 'caller', 'x-seldon-route': ':iris_1:', 'x-request-id': 'r1' },
  { 'x-seldon-route': [':x:', ':y:'], host: 'a.example.com' },
];

describe('requestHeaderAfter', () => {
  for (const [label, list] of Object.entries(LISTS)) {
    it(`reads each header as applyToRequest leaves it: ${label}`, () => {
      for (const headers of REQUESTS) {
        const all = applyToRequest(headers, list);
        for (const name of ['seldon-model', 'x-seldon-route', 'x-request-id', 'host', 'absent']) {
          expect(requestHeaderAfter(headers, list, name), `${name} of ${JSON.stringify(headers)}`).toEqual(all[name]);
        }
      }
    });
  }

  it('never changes the request it reads', () => {
    const headers = { 'seldon-model': 'caller', 'x-seldon-route': ':iris_1:' };
    for (const list of Object.values(LISTS)) requestHeaderAfter(headers, list, 'x-seldon-route');
    expect(headers).toEqual({ 'seldon-model': 'caller', 'x-seldon-route': ':iris_1:' });
  });

  it('sets, appends and removes as Istio does', () => {
    const headers = { 'seldon-model': 'caller', 'x-seldon-route': ':iris_1:' };
    expect(requestHeaderAfter(headers, LISTS.set!, 'seldon-model')).toBe('iris');
    expect(requestHeaderAfter(headers, LISTS.add!, 'x-seldon-route')).toEqual([':iris_1:', ':b:']);
    expect(requestHeaderAfter(headers, LISTS.remove!, 'seldon-model')).toBeUndefined();
    expect(requestHeaderAfter(headers, LISTS['remove then set']!, 'seldon-model')).toBe('again');
  });
});
