/**
 * The printers of the built-in kinds the sandbox serves, column for column as kube-apiserver's
 * pkg/printers/internalversion/printers.go defines them (the server always fills the wide columns; kubectl hides
 * priority-1 columns unless `-o wide`).
 */
import type { KubeObject } from '../../types.js';
import { ENDPOINTS_QUOTA_PRINTERS } from './endpoints-quota.js';
import { podPrinter } from './pod.js';
import type { Printer } from './printer.js';
import { AGE, NAME, age, column, containerCells, count, field, formatLabels, since } from './printer.js';

const CONTAINERS = column('Containers', 'string', 'Names of each container in the template.', 1);
const IMAGES = column('Images', 'string', 'Images referenced by each container in the template.', 1);

type Port = { port?: number; nodePort?: number; protocol?: string };
type Ingress = { ip?: string; hostname?: string };

/** getServiceExternalIP with wide=true (the server's choice): no clipping of long load-balancer lists. */
function externalIp(o: KubeObject): string {
  const external = (field(o, 'spec', 'externalIPs') ?? []) as string[];
  switch (field(o, 'spec', 'type')) {
    case 'ClusterIP':
    case 'NodePort':
      return external.length > 0 ? external.join(',') : '<none>';
    case 'LoadBalancer': {
      const ingress = (field(o, 'status', 'loadBalancer', 'ingress') ?? []) as Ingress[];
      // A set in Go: distinct and sorted.
      const ips = [...new Set(ingress.map((i) => i.ip || i.hostname || '').filter((s) => s !== ''))].sort();
      const all = [...ips, ...external];
      return all.length > 0 ? all.join(',') : '<pending>';
    }
    case 'ExternalName':
      return String(field(o, 'spec', 'externalName') ?? '');
    default:
      return '<unknown>';
  }
}

function ports(o: KubeObject): string {
  const list = (field(o, 'spec', 'ports') ?? []) as Port[];
  if (list.length === 0) return '<none>';
  return list.map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol ?? 'TCP'}` : `${p.port}/${p.protocol ?? 'TCP'}`)).join(',');
}

const service: Printer = {
  columns: [
    NAME,
    column('Type', 'string', 'type determines how the Service is exposed.'),
    column('Cluster-IP', 'string', 'clusterIP is the IP address of the service.'),
    column('External-IP', 'string', 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.'),
    column('Port(s)', 'string', 'The list of ports that are exposed by this service.'),
    AGE,
    column('Selector', 'string', 'Route service traffic to pods with label keys and values matching this selector.', 1),
  ],
  cells: (o, now) => {
    const clusterIps = (field(o, 'spec', 'clusterIPs') ?? []) as string[];
    return [o.metadata.name, field(o, 'spec', 'type') ?? '', clusterIps[0] ?? '<none>', externalIp(o), ports(o), age(o, now), formatLabels(field(o, 'spec', 'selector'))];
  },
};

const namespace: Printer = {
  columns: [NAME, column('Status', 'string', 'The status of the namespace'), AGE],
  cells: (o, now) => [o.metadata.name, field(o, 'status', 'phase') ?? '', age(o, now)],
};

const configMap: Printer = {
  columns: [NAME, column('Data', 'string', 'Data contains the configuration data.'), AGE],
  cells: (o, now) => [o.metadata.name, count(field(o, 'data')) + count(field(o, 'binaryData')), age(o, now)],
};

const secret: Printer = {
  columns: [NAME, column('Type', 'string', 'Used to facilitate programmatic handling of secret data.'), column('Data', 'string', 'Data contains the secret data.'), AGE],
  cells: (o, now) => [o.metadata.name, field(o, 'type') ?? '', count(field(o, 'data')), age(o, now)],
};

const serviceAccount: Printer = {
  columns: [NAME, column('Secrets', 'string', 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.'), AGE],
  cells: (o, now) => [o.metadata.name, ((field(o, 'secrets') ?? []) as unknown[]).length, age(o, now)],
};

const statefulSet: Printer = {
  columns: [NAME, column('Ready', 'string', 'Number of the pod with ready state'), AGE, CONTAINERS, IMAGES],
  cells: (o, now) => [
    o.metadata.name,
    `${Number(field(o, 'status', 'readyReplicas') ?? 0)}/${Number(field(o, 'spec', 'replicas') ?? 1)}`,
    age(o, now),
    ...containerCells(field(o, 'spec', 'template', 'spec', 'containers')),
  ],
};

const deployment: Printer = {
  columns: [
    NAME,
    column('Ready', 'string', 'Number of the pod with ready state'),
    column('Up-to-date', 'string', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
    column('Available', 'string', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
    AGE,
    CONTAINERS,
    IMAGES,
    column('Selector', 'string', 'Label selector for pods.', 1),
  ],
  cells: (o, now) => [
    o.metadata.name,
    `${Number(field(o, 'status', 'readyReplicas') ?? 0)}/${Number(field(o, 'spec', 'replicas') ?? 1)}`,
    Number(field(o, 'status', 'updatedReplicas') ?? 0),
    Number(field(o, 'status', 'availableReplicas') ?? 0),
    age(o, now),
    ...containerCells(field(o, 'spec', 'template', 'spec', 'containers')),
    formatLabels(field(o, 'spec', 'selector', 'matchLabels')),
  ],
};

/** formatEventSource: `component, host`, each falling back to the reporting controller's fields. */
function eventSource(o: KubeObject): string {
  const component = String(field(o, 'source', 'component') ?? '') || String(field(o, 'reportingComponent') ?? '');
  const host = String(field(o, 'source', 'host') ?? '') || String(field(o, 'reportingInstance') ?? '');
  return host === '' ? component : `${component}, ${host}`;
}

/** Events have no leading NAME column: it is the last wide one, as `kubectl get events` shows. */
const event: Printer = {
  columns: [
    column('Last Seen', 'string', 'The time at which the most recent occurrence of this event was recorded.'),
    column('Type', 'string', 'Type of this event (Normal, Warning), new types could be added in the future'),
    column('Reason', 'string', 'This should be a short, machine understandable string that gives the reason for the transition into the object\'s current status.'),
    column('Object', 'string', 'The object that this event is about.'),
    column('Subobject', 'string', 'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement.', 1),
    column('Source', 'string', 'The component reporting this event.', 1),
    column('Message', 'string', 'A human-readable description of the status of this operation.'),
    column('First Seen', 'string', 'The time at which the event was first recorded.', 1),
    column('Count', 'string', 'The number of times this event has occurred.', 1),
    { ...NAME, priority: 1 },
  ],
  cells: (o, now) => {
    const first = field(o, 'firstTimestamp') ? since(field(o, 'firstTimestamp'), now) : since(field(o, 'eventTime'), now);
    const last = field(o, 'lastTimestamp') ? since(field(o, 'lastTimestamp'), now) : first;
    const kind = String(field(o, 'involvedObject', 'kind') ?? '').toLowerCase();
    const name = String(field(o, 'involvedObject', 'name') ?? '');
    const times = Number(field(o, 'count') ?? 0);
    return [
      last,
      field(o, 'type') ?? '',
      field(o, 'reason') ?? '',
      name ? `${kind}/${name}` : kind,
      field(o, 'involvedObject', 'fieldPath') ?? '',
      eventSource(o),
      String(field(o, 'message') ?? '').trim(),
      first,
      // Singleton events of the newer API carry no count.
      times === 0 ? 1 : times,
      o.metadata.name,
    ];
  },
};

/** Built-in printers by `<group>/<Kind>` (core group: `/Kind`). */
export const BUILTIN_PRINTERS: Readonly<Record<string, Printer>> = {
  '/Pod': podPrinter,
  '/Service': service,
  '/Namespace': namespace,
  '/ConfigMap': configMap,
  '/Secret': secret,
  '/ServiceAccount': serviceAccount,
  '/Event': event,
  'apps/StatefulSet': statefulSet,
  'apps/Deployment': deployment,
  ...ENDPOINTS_QUOTA_PRINTERS,
};
