/**
 * A worker thread of `runbook run --sandbox --concurrency N` (run-workers.ts starts them): runs the runbooks it is
 * sent, each against its own sandbox started in this thread, so runbooks and sandboxes use every core instead of
 * sharing the main thread. Reporter events go back in order; the main thread redacts them and fans them out.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { setMaxListeners } from 'node:events';
import type { Reporter } from '../core/events.js';
import type { KubeAccess } from '../core/step.js';
import type { FromWorker, ReporterCall, ToWorker, WorkerSetup } from './run-worker-protocol.js';

const port = parentPort;
if (!port) throw new Error('run-worker.ts runs only as a worker thread');
const setup = workerData as WorkerSetup;
const post = (message: FromWorker) => port.postMessage(message);

const controller = new AbortController();
const cleanupController = new AbortController();
setMaxListeners(0, controller.signal);
/** Grows as the runner finds secret values; what is new goes to the main thread before the next event. */
const secrets: string[] = [];
let sentSecrets = 0;

function reporterFor(id: number): Required<Reporter> {
  const send = (call: ReporterCall) => {
    if (secrets.length > sentSecrets) post({ type: 'secrets', values: secrets.slice(sentSecrets) });
    sentSecrets = secrets.length;
    post({ type: 'event', id, ...call });
  };
  return {
    onRunStart: () => undefined,
    onRunEnd: () => undefined,
    onRunbookStart: (...args) => send({ hook: 'onRunbookStart', args }),
    onStepStart: (...args) => send({ hook: 'onStepStart', args }),
    onStepOutput: (...args) => send({ hook: 'onStepOutput', args }),
    onStepProgress: (...args) => send({ hook: 'onStepProgress', args }),
    onStepEnd: (...args) => send({ hook: 'onStepEnd', args }),
    onCleanup: (...args) => send({ hook: 'onCleanup', args }),
    onRunbookEnd: (...args) => send({ hook: 'onRunbookEnd', args }),
  };
}

const kube = new Map<string, Promise<KubeAccess>>();
async function loadKube(kubeconfig: string | undefined, context: string | undefined): Promise<KubeAccess> {
  const key = `${kubeconfig ?? ''}\0${context ?? ''}`;
  let access = kube.get(key);
  if (!access) {
    const { loadKubeAccess } = await import('../kube/access.js');
    kube.set(key, (access = loadKubeAccess({ kubeconfig, context, env: process.env })));
  }
  return access;
}

async function run(id: number, plan: Extract<ToWorker, { type: 'run' }>['plan']): Promise<void> {
  const { runOnSandbox } = await import('./run-on-sandbox.js');
  const report = await runOnSandbox(plan, setup.options, setup.sandbox, {
    reporter: reporterFor(id),
    signal: controller.signal,
    cleanupSignal: cleanupController.signal,
    secrets,
    loadKube,
  });
  post({ type: 'done', id, report });
}

port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'run':
      run(message.id, message.plan).catch((error: unknown) => post({ type: 'failed', id: message.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }));
      break;
    case 'abort':
      controller.abort(new Error(message.reason));
      break;
    case 'abort-cleanup':
      cleanupController.abort(new Error(message.reason));
      break;
    case 'close': {
      // bin/code-cache.js leaves its flush here in a worker: the process's exit never reaches worker threads.
      const flush = (globalThis as { [k: symbol]: (() => void) | undefined })[Symbol.for('runbook.flushCodeCache')];
      flush?.();
      // Ends this thread only; whatever a runbook left open (a keep-alive socket) cannot keep it alive.
      process.exit(0);
      break;
    }
  }
});
