/**
 * The Kubernetes workloads Seldon runs, as objects kubectl can list and describe: a StatefulSet with its Pods per
 * Server (`mlserver-0`), and the control plane's own pods in seldon-mesh (`seldon-scheduler-0`, `seldon-envoy-…`).
 * Nothing runs in them; their logs are what the scheduler tells the servers to do.
 */
import type { KubeObject } from '../types.js';
import type { Store } from '../store/store.js';

const VERSION = '2.8.0';
const IMAGES: Record<string, string> = {
  rclone: `docker.io/seldonio/seldon-rclone:${VERSION}`,
  agent: `docker.io/seldonio/seldon-agent:${VERSION}`,
  mlserver: 'docker.io/seldonio/mlserver:1.6.1',
  triton: 'nvcr.io/nvidia/tritonserver:23.03-py3',
  'seldon-scheduler': `docker.io/seldonio/seldon-scheduler:${VERSION}`,
  'seldon-envoy': `docker.io/seldonio/seldon-envoy:${VERSION}`,
  'seldon-modelgateway': `docker.io/seldonio/seldon-modelgateway:${VERSION}`,
  'seldon-pipelinegateway': `docker.io/seldonio/seldon-pipelinegateway:${VERSION}`,
  'seldon-dataflow-engine': `docker.io/seldonio/seldon-dataflow-engine:${VERSION}`,
};

let nextIp = 10;

interface Owner {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
}

/** The container of a server pod that runs the inference server (its logs say what was loaded). */
export function serverContainer(serverConfig: unknown): string {
  return serverConfig === 'triton' ? 'triton' : 'mlserver';
}

function podObject(namespace: string, name: string, labels: Record<string, string>, containers: string[], owner: Owner, startedAt: string): KubeObject {
  const ip = `10.244.0.${nextIp++ % 250}`;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace,
      labels,
      annotations: { 'kubectl.kubernetes.io/default-container': containers.at(-1)! },
      ownerReferences: [{ ...owner, controller: true, blockOwnerDeletion: true }],
    },
    spec: {
      containers: containers.map((c) => ({ name: c, image: IMAGES[c] ?? IMAGES.mlserver, imagePullPolicy: 'IfNotPresent' })),
      nodeName: 'runbook-sandbox',
      restartPolicy: 'Always',
      serviceAccountName: 'seldon-server',
    },
    status: {
      phase: 'Running',
      conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({ type, status: 'True', lastTransitionTime: startedAt })),
      hostIP: '172.18.0.2',
      podIP: ip,
      podIPs: [{ ip }],
      startTime: startedAt,
      qosClass: 'Burstable',
      containerStatuses: containers.map((c) => ({
        name: c,
        image: IMAGES[c] ?? IMAGES.mlserver,
        imageID: '',
        ready: true,
        started: true,
        restartCount: 0,
        state: { running: { startedAt } },
      })),
    },
  };
}

function statefulSetObject(namespace: string, name: string, replicas: number, labels: Record<string, string>, owner?: Owner): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, namespace, labels, ...(owner ? { ownerReferences: [{ ...owner, controller: true, blockOwnerDeletion: true }] } : {}) },
    spec: { replicas, serviceName: name, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [] } } },
    status: { replicas, readyReplicas: replicas, currentReplicas: replicas, updatedReplicas: replicas, availableReplicas: replicas },
  };
}

function upsert(store: Store, object: KubeObject): KubeObject {
  const group = object.apiVersion.includes('/') ? object.apiVersion.split('/')[0]! : '';
  const type = store.types.byKind(group, object.kind)!;
  const current = store.find(type, object.metadata.namespace, object.metadata.name);
  if (!current) return store.create(type, object);
  // Keep what the pod already has (its IP, start time); only the shape follows the Server.
  return store.update(type, { ...current, spec: object.spec, metadata: { ...current.metadata, labels: object.metadata.labels } });
}

/** Makes the Server's StatefulSet and Pods match its replicas. */
export function syncServerWorkloads(store: Store, server: KubeObject, now: string): void {
  const namespace = server.metadata.namespace ?? 'default';
  const name = server.metadata.name;
  const replicas = typeof server.spec?.replicas === 'number' ? server.spec.replicas : 1;
  const labels = { 'seldon-server-name': name, 'app.kubernetes.io/name': name, 'app.kubernetes.io/managed-by': 'seldon-core' };
  const owner = { apiVersion: server.apiVersion, kind: 'Server', name, uid: server.metadata.uid ?? '' };
  const sts = upsert(store, statefulSetObject(namespace, name, replicas, labels, owner));
  const podOwner = { apiVersion: 'apps/v1', kind: 'StatefulSet', name, uid: sts.metadata.uid ?? '' };
  const podType = store.types.byKind('', 'Pod')!;
  const containers = ['rclone', 'agent', serverContainer(server.spec?.serverConfig)];
  for (let i = 0; i < replicas; i++) {
    const podName = `${name}-${i}`;
    if (!store.find(podType, namespace, podName)) store.create(podType, podObject(namespace, podName, { ...labels, 'apps.kubernetes.io/pod-index': String(i) }, containers, podOwner, now));
  }
  for (const pod of store.select(podType, namespace)) {
    const m = new RegExp(`^${name.replace(/[.]/g, '\\.')}-(\\d+)$`).exec(pod.metadata.name);
    if (m && pod.metadata.labels?.['seldon-server-name'] === name && Number(m[1]) >= replicas) store.delete(podType, namespace, pod.metadata.name);
  }
}

/** Removes a deleted Server's StatefulSet and Pods. */
export function removeServerWorkloads(store: Store, namespace: string, name: string): void {
  const podType = store.types.byKind('', 'Pod')!;
  for (const pod of store.select(podType, namespace)) {
    if (pod.metadata.labels?.['seldon-server-name'] === name) store.delete(podType, namespace, pod.metadata.name);
  }
  const stsType = store.types.byKind('apps', 'StatefulSet')!;
  if (store.find(stsType, namespace, name)) store.delete(stsType, namespace, name);
}

/** The control plane's pods in `namespace`: the scheduler's StatefulSet and the gateways' and Envoy's Deployment pods. */
export function controlPlaneWorkloads(namespace: string, now: string): KubeObject[] {
  const scheduler = statefulSetObject(namespace, 'seldon-scheduler', 1, { app: 'seldon-scheduler' });
  const owner = (kind: string, name: string) => ({ apiVersion: 'apps/v1', kind, name, uid: '' });
  return [
    scheduler,
    podObject(namespace, 'seldon-scheduler-0', { app: 'seldon-scheduler' }, ['seldon-scheduler'], owner('StatefulSet', 'seldon-scheduler'), now),
    podObject(namespace, 'seldon-envoy-6c8d9b6f7d-x2k8q', { app: 'seldon-envoy' }, ['seldon-envoy'], owner('ReplicaSet', 'seldon-envoy-6c8d9b6f7d'), now),
    podObject(namespace, 'seldon-modelgateway-7b9f8c5d4-m4tzp', { app: 'seldon-modelgateway' }, ['seldon-modelgateway'], owner('ReplicaSet', 'seldon-modelgateway-7b9f8c5d4'), now),
    podObject(namespace, 'seldon-pipelinegateway-5f6d7c8b9-q7wls', { app: 'seldon-pipelinegateway' }, ['seldon-pipelinegateway'], owner('ReplicaSet', 'seldon-pipelinegateway-5f6d7c8b9'), now),
    podObject(namespace, 'seldon-dataflow-engine-84c6d5f7b-h2v9n', { app: 'seldon-dataflow-engine' }, ['seldon-dataflow-engine'], owner('ReplicaSet', 'seldon-dataflow-engine-84c6d5f7b'), now),
  ];
}
