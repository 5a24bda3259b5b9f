/**
 * What a fresh sandbox holds: the namespaces, CRDs and Services of a cluster with Istio and Seldon Core 2
 * installed, so runbooks written for such a cluster find what they expect.
 */
import type { KubeObject } from './types.js';
import type { Store } from './store/store.js';
import { timestamp } from './store/store.js';
import { SELDON_CRDS } from './seldon/crds/kinds.js';
import { controlPlaneWorkloads } from './seldon/workloads.js';

/** The address the recorded notebooks show for the Istio ingress (a private, documentation-like address). */
export const INGRESS_IP = '172.21.255.1';
/** The `seldon-mesh` LoadBalancer Service's address (inference, port 80). */
export const MESH_IP = '172.21.255.2';
/** The `seldon-scheduler` LoadBalancer Service's address (the scheduler API, port 9004). */
export const SCHEDULER_IP = '172.21.255.3';
export const SCHEDULER_PORT = 9004;
/** The namespace Seldon Core 2 is installed in. */
export const SELDON_NAMESPACE = 'seldon-mesh';

function crd(group: string, kind: string, plural: string, versions: string[], extra: { shortNames?: string[]; categories?: string[]; scale?: boolean; columns?: unknown[] } = {}): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      scope: 'Namespaced',
      names: { kind, listKind: `${kind}List`, plural, singular: kind.toLowerCase(), ...(extra.shortNames ? { shortNames: extra.shortNames } : {}), ...(extra.categories ? { categories: extra.categories } : {}) },
      versions: versions.map((name, i) => ({
        name,
        served: true,
        storage: i === 0,
        schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
        subresources: {
          status: {},
          ...(extra.scale ? { scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' } } : {}),
        },
        ...(extra.columns ? { additionalPrinterColumns: extra.columns } : {}),
      })),
    },
  };
}

const ISTIO_VERSIONS = ['v1', 'v1beta1', 'v1alpha3'];

export const SEED_CRDS: KubeObject[] = [
  ...SELDON_CRDS,
  crd('networking.istio.io', 'Gateway', 'gateways', ISTIO_VERSIONS, { shortNames: ['gw'], categories: ['istio-io', 'networking-istio-io'] }),
  crd('networking.istio.io', 'VirtualService', 'virtualservices', ISTIO_VERSIONS, {
    shortNames: ['vs'],
    categories: ['istio-io', 'networking-istio-io'],
    columns: [
      { name: 'Gateways', type: 'string', jsonPath: '.spec.gateways' },
      { name: 'Hosts', type: 'string', jsonPath: '.spec.hosts' },
      { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
    ],
  }),
];

const NAMESPACES = ['default', 'kube-system', 'istio-system', 'seldon-mesh'];

function service(namespace: string, name: string, spec: Record<string, unknown>, status: Record<string, unknown> = { loadBalancer: {} }): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace, labels: { app: name } }, spec, status };
}

export const SEED_OBJECTS: KubeObject[] = [
  ...NAMESPACES.map((name): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { 'kubernetes.io/metadata.name': name } },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  })),
  service('default', 'kubernetes', { type: 'ClusterIP', clusterIP: '10.96.0.1', clusterIPs: ['10.96.0.1'], ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }] }),
  service(
    'istio-system',
    'istio-ingressgateway',
    {
      type: 'LoadBalancer',
      clusterIP: '10.96.12.34',
      clusterIPs: ['10.96.12.34'],
      selector: { app: 'istio-ingressgateway', istio: 'ingressgateway' },
      ports: [
        { name: 'status-port', port: 15021, protocol: 'TCP', targetPort: 15021, nodePort: 30621 },
        { name: 'http2', port: 80, protocol: 'TCP', targetPort: 8080, nodePort: 31380 },
        { name: 'https', port: 443, protocol: 'TCP', targetPort: 8443, nodePort: 31390 },
      ],
    },
    { loadBalancer: { ingress: [{ ip: INGRESS_IP }] } },
  ),
  service(
    SELDON_NAMESPACE,
    'seldon-mesh',
    {
      type: 'LoadBalancer',
      clusterIP: '10.96.45.67',
      clusterIPs: ['10.96.45.67'],
      selector: { app: 'seldon-envoy' },
      ports: [
        { name: 'data', port: 80, protocol: 'TCP', targetPort: 9000, nodePort: 31080 },
        { name: 'admin', port: 9003, protocol: 'TCP', targetPort: 9901, nodePort: 31903 },
      ],
    },
    { loadBalancer: { ingress: [{ ip: MESH_IP }] } },
  ),
  service(
    SELDON_NAMESPACE,
    'seldon-scheduler',
    {
      type: 'LoadBalancer',
      clusterIP: '10.96.45.68',
      clusterIPs: ['10.96.45.68'],
      selector: { app: 'seldon-scheduler' },
      ports: [
        { name: 'xds', port: 9002, protocol: 'TCP', targetPort: 9002, nodePort: 31902 },
        { name: 'scheduler', port: SCHEDULER_PORT, protocol: 'TCP', targetPort: SCHEDULER_PORT, nodePort: 31904 },
        { name: 'agent', port: 9005, protocol: 'TCP', targetPort: 9005, nodePort: 31905 },
        { name: 'dataflow', port: 9008, protocol: 'TCP', targetPort: 9008, nodePort: 31908 },
      ],
    },
    { loadBalancer: { ingress: [{ ip: SCHEDULER_IP }] } },
  ),
  {
    apiVersion: 'mlops.seldon.io/v1alpha1',
    kind: 'SeldonRuntime',
    metadata: { name: 'seldon', namespace: SELDON_NAMESPACE },
    spec: { seldonConfig: 'default', config: {}, overrides: [] },
    status: { conditions: ['SchedulerReady', 'EnvoyReady', 'ModelGatewayReady', 'PipelineGatewayReady', 'DataflowEngineReady', 'Ready'].map((type) => ({ type, status: 'True' })) },
  },
  // The default Servers of a Seldon install; the operator gives them StatefulSets and Pods.
  ...['mlserver', 'triton'].map(
    (name): KubeObject => ({ apiVersion: 'mlops.seldon.io/v1alpha1', kind: 'Server', metadata: { name, namespace: SELDON_NAMESPACE }, spec: { serverConfig: name, replicas: 1 } }),
  ),
  {
    // Seldon's Istio install creates this; the seed notebook's single-model VirtualService binds to it.
    apiVersion: 'networking.istio.io/v1beta1',
    kind: 'Gateway',
    metadata: { name: 'seldon-gateway', namespace: 'istio-system' },
    spec: {
      selector: { app: 'istio-ingressgateway', istio: 'ingressgateway' },
      servers: [{ hosts: ['*'], port: { name: 'http', number: 80, protocol: 'HTTP' } }],
    },
  },
];

/** Fills a fresh store; CRDs first, so their kinds exist for the objects after them. */
export function seed(store: Store, now: Date = new Date()): void {
  for (const object of [...SEED_CRDS, ...SEED_OBJECTS, ...controlPlaneWorkloads(SELDON_NAMESPACE, timestamp(now))]) {
    const group = object.apiVersion.includes('/') ? object.apiVersion.slice(0, object.apiVersion.indexOf('/')) : '';
    const type = store.types.byKind(group, object.kind);
    if (!type) throw new Error(`seed: ${object.kind} of ${object.apiVersion} is not a served kind`);
    store.create(type, object);
  }
}
