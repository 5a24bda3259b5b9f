import { expect, test } from 'vitest';
import { nameErrors, nameRuleOf } from '../../../src/sandbox/store/names.js';

test('each kind gets the rule its 1.32 validation uses', () => {
  expect(nameRuleOf('', 'Namespace')).toBe('dns1123-label');
  expect(nameRuleOf('', 'Service')).toBe('dns1035-label');
  expect(nameRuleOf('apps', 'StatefulSet')).toBe('dns1123-label');
  for (const [group, kind] of [['', 'ConfigMap'], ['', 'Secret'], ['', 'Pod'], ['mlops.seldon.io', 'Model'], ['networking.istio.io', 'VirtualService']]) {
    expect(nameRuleOf(group!, kind!)).toBe('dns1123-subdomain');
  }
});

test('valid names pass; dots only in subdomains, a leading digit not in DNS-1035 labels', () => {
  expect(nameErrors('dns1123-subdomain', 'iris.v1-a')).toEqual([]);
  expect(nameErrors('dns1123-label', '1abc')).toEqual([]);
  expect(nameErrors('dns1123-label', 'a.b')).toHaveLength(1);
  expect(nameErrors('dns1035-label', '1abc')).toHaveLength(1);
  expect(nameErrors('dns1035-label', 'abc-1')).toEqual([]);
});

test('too long and malformed are two errors, length first, each with the value and the full rule', () => {
  const name = `A${'a'.repeat(63)}`;
  const errors = nameErrors('dns1123-label', name);
  expect(errors.map((e) => e.detail)).toEqual([
    `Invalid value: "${name}": must be no more than 63 characters`,
    `Invalid value: "${name}": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
  ]);
  expect(errors.every((e) => e.field === 'metadata.name')).toBe(true);
  expect(nameErrors('dns1123-subdomain', 'a'.repeat(254))[0]!.detail).toMatch(/must be no more than 253 characters$/);
});
