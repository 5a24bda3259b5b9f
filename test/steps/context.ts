/** A StepContext for step tests: no cluster, no variables, output dropped, a 20 s deadline; `extra` overrides. */
import { tmpdir } from 'node:os';
import type { StepContext } from '../../src/core/step.js';

export function stepContext(extra: Partial<StepContext> = {}): StepContext {
  return {
    cwd: tmpdir(),
    vars: {},
    kube: () => Promise.reject(new Error('no cluster in this test')),
    signal: new AbortController().signal,
    deadline: Date.now() + 20_000,
    connectTo: [],
    write: () => undefined,
    cache: new Map(),
    ...extra,
  };
}

/** Closes what steps left in the context's cache, as the runner does when the runbook ends. */
export async function closeCache(cache: Map<string, unknown>): Promise<void> {
  for (const value of cache.values()) await (value as { close?: () => Promise<void> }).close?.();
}
