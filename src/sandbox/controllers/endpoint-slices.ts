/**
 * kube-controller-manager's endpointslice and endpoints controllers: every Service with a selector gets
 * EndpointSlices (`<service>-<random>`, labelled `kubernetes.io/service-name` and managed-by the controller, owned
 * by the Service) listing the pods its selector matches that have an IP, ready or not, and a core/v1 Endpoints of
 * the Service's name with the ready ones in `addresses` and the rest in `notReadyAddresses`. A Service whose
 * selector matches no pod keeps one empty placeholder slice, as the real controller does. Pod, Service and slice
 * changes all resync the Services of their namespace. A deleted Service's slices go with the garbage collector.
 */
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../types.js';
import type { Store, StoreEvent } from '../store/store.js';
import { typeKeyOf } from '../store/store.js';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io';

type ServicePort = { name?: string; port: number; protocol?: string; targetPort?: number | string; appProtocol?: string };
type ContainerPort = { name?: string; containerPort: number; protocol?: string };
type SlicePort = { name: string; port: number; protocol: string; appProtocol?: string };
type Member = { pod: KubeObject; ip: string; ready: boolean; ports: SlicePort[] };

export interface EndpointControllers {
  stop(): void;
}

function labelsMatch(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

function isReady(pod: KubeObject): boolean {
  const conditions = (pod.status?.conditions ?? []) as { type: string; status: string }[];
  return conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}

/** The pod's port for a Service port: a number as is, a name looked up in the pod's containers (absent: skipped). */
function resolvePort(port: ServicePort, pod: KubeObject): number | undefined {
  const target = port.targetPort ?? port.port;
  if (typeof target === 'number') return target;
  const containers = (pod.spec?.containers ?? []) as { ports?: ContainerPort[] }[];
  const protocol = port.protocol ?? 'TCP';
  for (const c of containers) for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
  return undefined;
}

function slicePorts(service: KubeObject, pod: KubeObject): SlicePort[] {
  const out: SlicePort[] = [];
  for (const p of (service.spec?.ports ?? []) as ServicePort[]) {
    const port = resolvePort(p, pod);
    if (port === undefined) continue;
    out.push({ name: p.name ?? '', port, protocol: p.protocol ?? 'TCP', ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}) });
  }
  return out;
}

/** The pods behind a Service: matched by its selector, with an IP, neither finished nor being deleted. */
function members(store: Store, service: KubeObject, selector: Record<string, string>): Member[] {
  const podType = store.types.byKind('', 'Pod')!;
  return store
    .select(podType, service.metadata.namespace)
    .filter((pod) => labelsMatch(selector, pod.metadata.labels))
    .filter((pod) => typeof pod.status?.podIP === 'string' && pod.status.podIP !== '' && !pod.metadata.deletionTimestamp)
    .filter((pod) => pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed')
    .map((pod) => ({ pod, ip: pod.status!.podIP as string, ready: isReady(pod), ports: slicePorts(service, pod) }));
}

/** Members grouped by their resolved ports (a named targetPort can differ per pod): one subset each. */
function byPorts(list: Member[]): Member[][] {
  const groups = new Map<string, Member[]>();
  for (const m of list) {
    const key = JSON.stringify(m.ports);
    const group = groups.get(key);
    if (group) group.push(m);
    else groups.set(key, [m]);
  }
  return [...groups.values()];
}

/** The controller's --max-endpoints-per-slice default: a group larger than this spreads over several slices. */
export const MAX_ENDPOINTS_PER_SLICE = 100;

function chunks(groups: Member[][]): Member[][] {
  return groups.flatMap((g) => Array.from({ length: Math.ceil(g.length / MAX_ENDPOINTS_PER_SLICE) }, (_, i) => g.slice(i * MAX_ENDPOINTS_PER_SLICE, (i + 1) * MAX_ENDPOINTS_PER_SLICE)));
}

const targetRef = (pod: KubeObject) => ({ kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid });

function sliceBody(service: KubeObject, group: Member[] | undefined): Record<string, unknown> {
  return {
    addressType: 'IPv4',
    // The placeholder's empty lists read back as null: they went through etcd's protobuf, where empty is nil.
    endpoints: group
      ? group.map((m) => ({
      addresses: [m.ip],
      conditions: { ready: m.ready, serving: m.ready, terminating: false },
      ...(m.pod.spec?.nodeName ? { nodeName: m.pod.spec.nodeName } : {}),
      targetRef: targetRef(m.pod),
    }))
      : null,
    // The placeholder of a Service without pods has no ports (kubectl prints `<unset>`).
    ports: group ? group[0]!.ports : null,
  };
}

export function startEndpointControllers(options: { store: Store }): EndpointControllers {
  const { store } = options;
  const serviceType = store.types.byKind('', 'Service')!;
  const sliceType = store.types.byKind('discovery.k8s.io', 'EndpointSlice')!;
  const endpointsType = store.types.byKind('', 'Endpoints')!;
  const pending = new Set<string>();
  let stopped = false;
  /** Set while this controller writes: its own slice and Endpoints changes need no resync. */
  let writing = false;

  function managedSlices(namespace: string, name: string): KubeObject[] {
    return store
      .select(sliceType, namespace)
      .filter((s) => s.metadata.labels?.[SERVICE_NAME_LABEL] === name && s.metadata.labels[MANAGED_BY_LABEL] === CONTROLLER_NAME);
  }

  function syncSlices(service: KubeObject, groups: Member[][]): void {
    const { namespace, name } = service.metadata;
    const existing = managedSlices(namespace!, name);
    const wanted = groups.length === 0 ? [undefined] : chunks(groups);
    const labels = { ...service.metadata.labels, [SERVICE_NAME_LABEL]: name, [MANAGED_BY_LABEL]: CONTROLLER_NAME };
    const ownerReferences = [{ apiVersion: 'v1', kind: 'Service', name, uid: service.metadata.uid, controller: true, blockOwnerDeletion: true }];
    wanted.forEach((group, i) => {
      const body = sliceBody(service, group);
      const current = existing[i];
      if (!current) {
        store.create(sliceType, { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: '', generateName: `${name}-`, namespace, labels, ownerReferences }, ...body });
        return;
      }
      const { apiVersion: _a, kind: _k, metadata: _m, ...have } = current;
      if (isDeepStrictEqual(have, body) && isDeepStrictEqual(current.metadata.labels, labels)) return;
      store.update(sliceType, { apiVersion: current.apiVersion, kind: current.kind, metadata: { ...current.metadata, labels, ownerReferences }, ...body });
    });
    for (const extra of existing.slice(wanted.length)) store.delete(sliceType, namespace, extra.metadata.name);
  }

  function syncEndpoints(service: KubeObject, groups: Member[][]): void {
    const { namespace, name } = service.metadata;
    const address = (m: Member) => ({ ip: m.ip, ...(m.pod.spec?.nodeName ? { nodeName: m.pod.spec.nodeName } : {}), targetRef: targetRef(m.pod) });
    const subsets = groups
      .filter((g) => g[0]!.ports.length > 0 || (service.spec?.ports as unknown[] | undefined)?.length === 0)
      .map((g) => {
        const ready = g.filter((m) => m.ready).map(address);
        const notReady = g.filter((m) => !m.ready).map(address);
        return {
          ...(ready.length > 0 ? { addresses: ready } : {}),
          ...(notReady.length > 0 ? { notReadyAddresses: notReady } : {}),
          ports: g[0]!.ports.map((p) => ({ ...(p.name ? { name: p.name } : {}), port: p.port, protocol: p.protocol, ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}) })),
        };
      });
    const body = subsets.length > 0 ? { subsets } : {};
    const labels = service.metadata.labels;
    const current = store.find(endpointsType, namespace, name);
    if (!current) {
      store.create(endpointsType, { apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace, ...(labels ? { labels } : {}) }, ...body });
      return;
    }
    if (isDeepStrictEqual(current.subsets, body.subsets) && isDeepStrictEqual(current.metadata.labels, labels)) return;
    const { subsets: _s, ...rest } = current;
    store.update(endpointsType, { ...rest, metadata: { ...current.metadata, ...(labels ? { labels } : {}) }, ...body });
  }

  function sync(namespace: string, name: string): void {
    const service = store.find(serviceType, namespace, name);
    const selector = service?.spec?.selector as Record<string, string> | undefined;
    if (!service) {
      // The slices are the Service's dependents, the garbage collector's to delete (or orphan); the Endpoints is not.
      if (store.find(endpointsType, namespace, name)) store.delete(endpointsType, namespace, name);
      return;
    }
    // A Service on its way out, or without a selector (its endpoints are the user's), gets nothing from here.
    if (service.metadata.deletionTimestamp || !selector || Object.keys(selector).length === 0) return;
    const groups = byPorts(members(store, service, selector));
    writing = true;
    try {
      syncSlices(service, groups);
      syncEndpoints(service, groups);
    } finally {
      writing = false;
    }
  }

  /** Writes wait for a microtask: a store listener must not write while the store notifies. */
  function enqueue(namespace: string, name: string): void {
    if (pending.size === 0) {
      queueMicrotask(() => {
        const keys = [...pending];
        pending.clear();
        if (stopped) return;
        for (const key of keys) {
          const [ns, svc] = key.split('/') as [string, string];
          try {
            sync(ns, svc);
          } catch {
            // Lost a race with the namespace going away: nothing to keep there any more.
          }
        }
      });
    }
    pending.add(`${namespace}/${name}`);
  }

  function enqueueNamespace(namespace: string): void {
    for (const svc of store.select(serviceType, namespace)) enqueue(namespace, svc.metadata.name);
  }

  function onChange(event: StoreEvent): void {
    const { object } = event;
    const namespace = object.metadata.namespace;
    if (!namespace || writing) return;
    if (event.typeKey === typeKeyOf('', 'Service')) enqueue(namespace, object.metadata.name);
    else if (event.typeKey === typeKeyOf('', 'Pod')) enqueueNamespace(namespace);
    else if (event.typeKey === typeKeyOf('discovery.k8s.io', 'EndpointSlice')) {
      // A managed slice edited or deleted by someone else is put back.
      const service = object.metadata.labels?.[SERVICE_NAME_LABEL];
      if (service && object.metadata.labels?.[MANAGED_BY_LABEL] === CONTROLLER_NAME) enqueue(namespace, service);
    } else if (event.typeKey === typeKeyOf('', 'Endpoints')) {
      // Only a Service with a selector owns its Endpoints; others (and orphans) are the user's.
      const service = store.find(serviceType, namespace, object.metadata.name);
      if (service?.spec?.selector) enqueue(namespace, object.metadata.name);
    }
  }

  const unsubscribe = store.onChange(onChange);
  for (const svc of store.select(serviceType)) sync(svc.metadata.namespace!, svc.metadata.name);
  return {
    stop() {
      stopped = true;
      unsubscribe();
    },
  };
}
