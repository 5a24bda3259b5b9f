/** Which steps may be retried until they match: the ones that only read. */
import type { KindTable, Step } from '../core/model.js';

const readOnly: KindTable<boolean> = {
  build: true,
  apply: false,
  wait: true,
  delete: false,
  curl: true,
  grpcurl: true,
  capture: true,
  shell: false,
  python: false,
  writefile: false,
  env: false,
  // Per subcommand: status, infer, inspect and list only read (see isReadOnly).
  seldon: false,
};

/** True when re-running the step cannot change the cluster: a shell step only when marked read-only. */
export function isReadOnly(step: Step): boolean {
  if (step.kind === 'seldon') return SELDON_READS.has(step.args.command.verb);
  return readOnly[step.kind] || (step.kind === 'shell' && step.options.readOnly === true);
}

/** The seldon verbs that only read (help prints text): load/unload (start/stop) change the cluster and are never retried. */
const SELDON_READS: ReadonlySet<string> = new Set(['status', 'infer', 'inspect', 'list', 'metadata', 'help']);
