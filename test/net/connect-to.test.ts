import { describe, expect, test } from 'vitest';
import { mapTarget, parseConnectTo, parseResolve, resolveOverride } from '../../src/net/connect-to.js';

describe('connect-to rules', () => {
  test('parses four fields, with IPv6 brackets and empty fields', () => {
    expect(parseConnectTo('a.example:80:127.0.0.1:8080')).toEqual({ host: 'a.example', port: '80', toHost: '127.0.0.1', toPort: '8080' });
    expect(parseConnectTo('[::1]:443::9443')).toEqual({ host: '::1', port: '443', toHost: '', toPort: '9443' });
    expect(parseConnectTo('a:b:c')).toBeUndefined();
  });

  test('the first matching rule wins; empty fields match anything and keep the original', () => {
    const rules = [parseConnectTo('other:80:x:1')!, parseConnectTo('::127.0.0.1:')!, parseConnectTo('a:80:y:2')!];
    expect(mapTarget('A', 80, rules)).toMatchObject({ host: '127.0.0.1', port: 80 });
    expect(mapTarget('other', 80, rules)).toMatchObject({ host: 'x', port: 1 });
    expect(mapTarget('b', 81, [parseConnectTo('b:80:x:1')!])).toEqual({ host: 'b', port: 81 });
  });

  test('--resolve entries', () => {
    const rule = parseResolve('svc.example:80:10.0.0.1,10.0.0.2')!;
    expect(rule).toEqual({ host: 'svc.example', port: '80', addresses: ['10.0.0.1', '10.0.0.2'] });
    expect(resolveOverride('SVC.example', 80, [rule])).toBe('10.0.0.1');
    expect(resolveOverride('svc.example', 81, [rule])).toBeUndefined();
  });
});
