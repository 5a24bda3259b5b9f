/**
 * The Table answers kubectl's human output reads: which object each row carries (includeObject), the printers'
 * cells for objects the seeded cluster does not hold, and the one-row Tables of a watch.
 */
import { describe, expect, test } from 'vitest';
import { ApiError } from '../../../src/core/api-status.js';
import { asTable, tableWatch } from '../../../src/sandbox/api/table.js';
import type { ResourceRoute } from '../../../src/sandbox/api/routes.js';
import { BUILTIN_TYPES } from '../../../src/sandbox/store/resource-types.js';
import type { KubeObject } from '../../../src/sandbox/types.js';

const NOW = Date.parse('2026-01-01T12:00:00Z');

function route(kind: string): ResourceRoute {
  return { type: BUILTIN_TYPES.find((t) => t.kind === kind)!, version: 'v1', namespace: 'default' };
}

function object(kind: string, name: string, extra: Partial<KubeObject> = {}): KubeObject {
  return { apiVersion: 'v1', kind, metadata: { name, namespace: 'default', resourceVersion: '7', creationTimestamp: '2026-01-01T11:58:30Z' }, ...extra };
}

function list(...items: KubeObject[]) {
  return { code: 200, body: { kind: 'List', metadata: { resourceVersion: '9' }, items } };
}

type Table = { columnDefinitions?: { name: string; priority: number }[]; rows: { cells: unknown[]; object?: { kind: string; spec?: unknown } }[]; metadata: { resourceVersion: string } };

const table = (reply: { body: unknown }) => reply.body as Table;

describe('Table answers', () => {
  const cm = object('ConfigMap', 'settings', { data: { a: '1', b: '2' } });

  test('rows carry PartialObjectMetadata unless includeObject says None or Object', () => {
    const byDefault = table(asTable(route('ConfigMap'), list(cm), new URLSearchParams(), NOW));
    expect(byDefault.rows[0]!.object!.kind).toBe('PartialObjectMetadata');
    const none = table(asTable(route('ConfigMap'), list(cm), new URLSearchParams('includeObject=None'), NOW));
    expect(none.rows[0]!.object).toBeUndefined();
    // --sort-by needs the whole object: it sorts on fields no column shows.
    const whole = table(asTable(route('ConfigMap'), list(cm), new URLSearchParams('includeObject=Object'), NOW));
    expect(whole.rows[0]!.object).toEqual(cm);
    expect(whole.metadata.resourceVersion).toBe('9');
  });

  test('a page of a list keeps its continue token and remaining count', () => {
    const page = { code: 200, body: { kind: 'List', metadata: { resourceVersion: '9', continue: 'abc', remainingItemCount: 4 }, items: [cm] } };
    expect(table(asTable(route('ConfigMap'), page, new URLSearchParams(), NOW)).metadata).toEqual({ resourceVersion: '9', continue: 'abc', remainingItemCount: 4 });
  });

  test('an unknown includeObject is a 400, as TableOptions validation answers', () => {
    expect(() => asTable(route('ConfigMap'), list(cm), new URLSearchParams('includeObject=All'), NOW)).toThrow(ApiError);
  });

  test('a pod that is crash-looping, restarted and terminating shows it in STATUS and RESTARTS', () => {
    const pod = object('Pod', 'web-0', {
      metadata: { name: 'web-0', namespace: 'default', creationTimestamp: '2026-01-01T11:00:00Z', deletionTimestamp: '2026-01-01T11:59:00Z' },
      spec: { containers: [{ name: 'a' }, { name: 'b' }], nodeName: 'n1' },
      status: {
        phase: 'Running',
        containerStatuses: [
          { name: 'a', ready: true, restartCount: 0, state: { running: {} } },
          { name: 'b', ready: false, restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { finishedAt: '2026-01-01T11:55:00Z' } } },
        ],
      },
    });
    const [row] = table(asTable(route('Pod'), list(pod), new URLSearchParams(), NOW)).rows;
    // A deletion mark on a pod that has not finished wins over the container's reason.
    expect(row!.cells).toEqual(['web-0', '1/2', 'Terminating', '3 (5m ago)', '60m', '<none>', 'n1', '<none>', '<none>']);
  });

  test('an event without lastTimestamp shows its first one, and a singleton event counts 1', () => {
    const event = object('Event', 'x.1', {
      involvedObject: { kind: 'Model', name: 'iris' },
      eventTime: '2026-01-01T11:59:50.000000Z',
      type: 'Normal',
      reason: 'Loaded',
      message: ' ready \n',
      reportingComponent: 'seldon',
      reportingInstance: 'op-1',
    });
    const t = table(asTable(route('Event'), list(event), new URLSearchParams(), NOW));
    expect(t.columnDefinitions!.filter((c) => c.priority === 0).map((c) => c.name)).toEqual(['Last Seen', 'Type', 'Reason', 'Object', 'Message']);
    expect(t.rows[0]!.cells).toEqual(['10s', 'Normal', 'Loaded', 'model/iris', '', 'seldon, op-1', 'ready', '10s', 1, 'x.1']);
  });

  test('a LoadBalancer without an address is <pending>; a secret counts its data', () => {
    const svc = object('Service', 'lb', { spec: { type: 'LoadBalancer', clusterIPs: ['10.0.0.9'], ports: [{ port: 80, protocol: 'TCP' }] }, status: { loadBalancer: {} } });
    expect(table(asTable(route('Service'), list(svc), new URLSearchParams(), NOW)).rows[0]!.cells).toEqual(['lb', 'LoadBalancer', '10.0.0.9', '<pending>', '80/TCP', '90s', '<none>']);
    const secret = object('Secret', 's', { type: 'Opaque', data: { a: 'eA==', b: 'eQ==' } });
    expect(table(asTable(route('Secret'), list(secret), new URLSearchParams(), NOW)).rows[0]!.cells).toEqual(['s', 'Opaque', 2, '90s']);
  });
});

describe('watch Tables', () => {
  test('only the first event carries the column definitions; bookmarks are empty Tables; errors pass through', () => {
    const toTable = tableWatch(route('ConfigMap'), new URLSearchParams(), () => NOW);
    const first = toTable('ADDED', object('ConfigMap', 'a')) as Table;
    expect(first.columnDefinitions!.map((c) => c.name)).toEqual(['Name', 'Data', 'Age']);
    expect(first.rows[0]!.cells).toEqual(['a', 0, '90s']);
    const bookmark = toTable('BOOKMARK', { metadata: { resourceVersion: '12' } }) as Table;
    expect(bookmark).toEqual({ kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: { resourceVersion: '12' }, rows: [] });
    const second = toTable('MODIFIED', object('ConfigMap', 'a')) as Table;
    expect(second.columnDefinitions).toBeUndefined();
    expect(second.rows[0]!.cells[0]).toBe('a');
    const status = { kind: 'Status', code: 410 };
    expect(toTable('ERROR', status)).toBe(status);
  });
});
