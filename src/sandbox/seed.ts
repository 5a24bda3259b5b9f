/**
 * What a fresh sandbox holds: the namespaces, CRDs and Services of a cluster with Istio and Seldon Core 2
 * installed, so runbooks written for such a cluster find what they expect.
 */
import type { KubeObject } from './types.js';
import type { Store } from './store/store.js';
import { timestamp } from './store/store.js';
import { SELDON_CRDS } from './seldon/crds/kinds.js';
import { ISTIO_SCHEMAS } from './schema/istio.js';
import { controlPlaneWorkloads } from './seldon/workloads.js';

/** The address the recorded notebooks show for the Istio ingress (a private, documentation-like address). */
export const INGRESS_IP = '172.21.255.1';
/** The `seldon-mesh` LoadBalancer Service's address (inference, port 80). */
export const MESH_IP = '172.21.255.2';
/** The `seldon-scheduler` LoadBalancer Service's address (the scheduler API, port 9004). */
export const SCHEDULER_IP = '172.21.255.3';
export const SCHEDULER_PORT = 9004;
/** Seldon's Kafka broker as runbooks reach it (`--kafka-broker`, `SELDON_KAFKA_BROKER`): the sandbox's pipeline topics. */
export const KAFKA_IP = '172.21.255.4';
export const KAFKA_PORT = 9092;
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
        schema: { openAPIV3Schema: ISTIO_SCHEMAS[kind] ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
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
  crd('networking.istio.io', 'DestinationRule', 'destinationrules', ISTIO_VERSIONS, {
    shortNames: ['dr'],
    categories: ['istio-io', 'networking-istio-io'],
    columns: [
      { name: 'Host', type: 'string', jsonPath: '.spec.host' },
      { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
    ],
  }),
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

const NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system', 'istio-system', 'seldon-mesh'];

function service(namespace: string, name: string, spec: Record<string, unknown>, status: Record<string, unknown> = { loadBalancer: {} }): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace, labels: { app: name } }, spec, status };
}

type Port = [name: string, port: number, targetPort: number, nodePort: number];

/** A LoadBalancer Service whose load balancer reports `ip`, as the recorded notebooks show it. */
function loadBalancer(namespace: string, name: string, ip: string, clusterIP: string, selector: Record<string, string>, ports: Port[]): KubeObject {
  return service(
    namespace,
    name,
    {
      type: 'LoadBalancer',
      clusterIP,
      clusterIPs: [clusterIP],
      selector,
      ports: ports.map(([portName, port, targetPort, nodePort]) => ({ name: portName, port, protocol: 'TCP', targetPort, nodePort })),
    },
    { loadBalancer: { ingress: [{ ip }] } },
  );
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
  loadBalancer('istio-system', 'istio-ingressgateway', INGRESS_IP, '10.96.12.34', { app: 'istio-ingressgateway', istio: 'ingressgateway' }, [
    ['status-port', 15021, 15021, 30621],
    ['http2', 80, 8080, 31380],
    ['https', 443, 8443, 31390],
  ]),
  loadBalancer(SELDON_NAMESPACE, 'seldon-mesh', MESH_IP, '10.96.45.67', { app: 'seldon-envoy' }, [
    ['data', 80, 9000, 31080],
    ['admin', 9003, 9901, 31903],
  ]),
  loadBalancer(SELDON_NAMESPACE, 'seldon-scheduler', SCHEDULER_IP, '10.96.45.68', { app: 'seldon-scheduler' }, [
    ['xds', 9002, 9002, 31902],
    ['scheduler', SCHEDULER_PORT, SCHEDULER_PORT, 31904],
    ['agent', 9005, 9005, 31905],
    ['dataflow', 9008, 9008, 31908],
  ]),
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
