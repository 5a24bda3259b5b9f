/**
 * The registry of step kinds. Each kind's module is imported only when a step of that kind first runs,
 * so a runbook without grpcurl steps never loads gRPC. A kind missing here is a compile error.
 */
import type { KindTable, StepKind } from '../src/core/model.js';
import type { StepRunner } from '../src/core/step.js';

type Loader<K extends StepKind> = () => Promise<StepRunner<K>>;

const loaders: { [K in StepKind]: Loader<K> } = {
  build: async () => (await import('./build.js')).build,
  apply: async () => (await import('./apply.js')).apply,
  wait: async () => (await import('./wait.js')).wait,
  delete: async () => (await import('./delete.js')).deleteStep,
  curl: async () => (await import('./curl.js')).curl,
  grpcurl: async () => (await import('./grpcurl.js')).grpcurl,
  capture: async () => (await import('./capture.js')).capture,
  shell: async () => (await import('./shell.js')).shell,
  python: async () => (await import('./python.js')).python,
  writefile: async () => (await import('./writefile.js')).writefile,
  env: async () => (await import('./env.js')).env,
  seldon: async () => (await import('./seldon.js')).seldon,
};

/** Kinds that talk to the Kubernetes API (the runner loads the kubeconfig before the first of them). */
export const kubeKinds: KindTable<boolean> = {
  build: false,
  apply: true,
  wait: true,
  delete: true,
  curl: false,
  grpcurl: false,
  capture: true,
  shell: false,
  python: false,
  writefile: false,
  env: false,
  // It talks to Seldon's scheduler and mesh, not the API server; it reads the kubeconfig only to find them.
  seldon: false,
};

export function loadRunner<K extends StepKind>(kind: K): Promise<StepRunner<K>> {
  return (loaders[kind] as Loader<K>)();
}
