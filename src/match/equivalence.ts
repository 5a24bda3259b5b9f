/**
 * Which differing lines a kind's matcher does not care about, line by line: `--update` keeps the recorded
 * version of such a line instead of churning it (a `*` line of curl, `unchanged` where `created` came back).
 */
import type { StepKind } from '../core/model.js';
import type { Equivalence } from './align.js';
import { canonicalLine } from './kube-lines.js';
import { VOLATILE_HEADERS } from './curl.js';

const headerName = (line: string, prefix: '<' | '>') => {
  const m = new RegExp(`^\\${prefix} ([^:\\s]+):`).exec(line);
  return m ? m[1]!.toLowerCase() : undefined;
};

const curl: Equivalence = (recorded, actual) => {
  const a = actual.norm;
  if (recorded.startsWith('* ') && a.startsWith('* ')) return true;
  // Request headers other than the request line are noise; so are the volatile response headers.
  const req = headerName(recorded, '>');
  if (req !== undefined && req === headerName(a, '>')) return true;
  const res = headerName(recorded, '<');
  return res !== undefined && VOLATILE_HEADERS.has(res) && res === headerName(a, '<');
};

const kube =
  (kind: 'apply' | 'wait' | 'delete'): Equivalence =>
  (recorded, actual) => {
    const key = canonicalLine(kind, recorded);
    return key !== undefined && key === canonicalLine(kind, actual.norm);
  };

/** The equivalence of a kind, if it has one beyond normalised text and patterns. */
export function equivalenceOf(kind: StepKind): Equivalence | undefined {
  switch (kind) {
    case 'curl':
      return curl;
    case 'apply':
    case 'wait':
    case 'delete':
      return kube(kind);
    case 'build':
    case 'grpcurl':
    case 'capture':
    case 'shell':
    case 'python':
    case 'writefile':
    case 'env':
    case 'seldon':
      return undefined;
  }
}

/**
 * Recorded lines a kind's matcher never compares, so `--update` keeps them although the run printed nothing like
 * them: curl's `*` and `{ [N bytes data]` lines and request headers (curl 7.88 no longer prints `* upload
 * completely sent off`).
 */
export function ignoredLineOf(kind: StepKind): ((recorded: string) => boolean) | undefined {
  switch (kind) {
    case 'curl':
      return (line) => /^\* |^\*$|^[{}] \[[^\]]*\]$/.test(line) || (/^> /.test(line) && !/^> [A-Z]+ \S+ HTTP\//.test(line));
    case 'apply':
    case 'wait':
    case 'delete':
    case 'build':
    case 'grpcurl':
    case 'capture':
    case 'shell':
    case 'python':
    case 'writefile':
    case 'env':
    case 'seldon':
      return undefined;
  }
}
