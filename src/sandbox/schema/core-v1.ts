/**
 * Core `v1` kinds as the API reference lists them (io.k8s.api.core.v1): the fields users write in Seldon's and
 * Istio's docs are typed; deep corners (probes, affinity, volume sources) are kept as written.
 */
import type { Schema } from '../store/schema.js';
import { CORE, INT_OR_STRING, META, QUANTITY, bool, int32, int64, list, listOf, oneOf, open, ref, refTo, str, stringMap, strings, struct } from './dsl.js';

const API_VERSION = str('The versioned schema of this representation of an object; the server converts to its own.');
const KIND = str('The REST resource this object represents, in CamelCase; cannot be updated.');
const METADATA = ref(`${META}ObjectMeta`, 'Standard object metadata.', true);

/** A top-level kind: apiVersion, kind, metadata and its own fields. */
export function kind(description: string, properties: Record<string, Schema>): Schema {
  return struct(description, { apiVersion: API_VERSION, kind: KIND, metadata: METADATA, ...properties });
}

const PROTOCOL = oneOf('The IP protocol: TCP, UDP or SCTP. Defaults to TCP.', ['SCTP', 'TCP', 'UDP'], { default: 'TCP' });
const bytesMap = (description: string): Schema => ({ type: 'object', description, additionalProperties: { type: 'string', format: 'byte' } });
const quantities = (description: string): Schema => ({ type: 'object', description, additionalProperties: refTo(QUANTITY) });

export const CORE_DEFINITIONS: Record<string, Schema> = {
  [`${CORE}Namespace`]: kind('A scope for names; most objects live in one.', {
    spec: ref(`${CORE}NamespaceSpec`, 'What the namespace needs before it can be removed.', true),
    status: ref(`${CORE}NamespaceStatus`, 'The observed state of the namespace.', true),
  }),
  [`${CORE}NamespaceSpec`]: struct('What the namespace needs before it can be removed.', {
    finalizers: strings('Opaque values that must be empty before the namespace is removed from storage.'),
  }),
  [`${CORE}NamespaceStatus`]: open('The observed state of a namespace.', {
    phase: oneOf('Active, or Terminating while its contents are deleted.', ['Active', 'Terminating']),
  }),
  [`${CORE}ConfigMap`]: kind('Configuration data for pods to consume.', {
    binaryData: bytesMap('Binary values, base64 encoded; keys must not overlap with data.'),
    data: stringMap('The configuration data: UTF-8 values by key.'),
    immutable: bool('If true, the data cannot be updated (only the metadata can).'),
  }),
  [`${CORE}Secret`]: kind('Secret data of a certain type, such as passwords, tokens or keys.', {
    data: bytesMap('The secret data: base64-encoded values by key.'),
    immutable: bool('If true, the data cannot be updated (only the metadata can).'),
    stringData: stringMap('Write-only convenience: plain values merged into data on write; never output on read.'),
    type: str('Used to handle the secret data programmatically, e.g. Opaque or kubernetes.io/tls.'),
  }),
  [`${CORE}ServiceAccount`]: kind('An identity for processes that run in a pod.', {
    automountServiceAccountToken: bool("Whether pods running as this account mount its API token automatically."),
    imagePullSecrets: listOf(`${CORE}LocalObjectReference`, 'Secrets in the same namespace used to pull images of pods that use this account.'),
    secrets: listOf(`${CORE}ObjectReference`, 'Secrets pods running as this account may use.', { type: 'map', keys: ['name'] }),
  }),
  [`${CORE}LocalObjectReference`]: struct('A reference to an object in the same namespace.', { name: str('Name of the referent.') }, undefined, {
    'x-kubernetes-map-type': 'atomic',
  }),
  [`${CORE}ObjectReference`]: struct(
    'A reference to an object.',
    {
      apiVersion: str('API version of the referent.'),
      fieldPath: str('A part of the object rather than the whole, e.g. spec.containers{name}.'),
      kind: str('Kind of the referent.'),
      name: str('Name of the referent.'),
      namespace: str('Namespace of the referent.'),
      resourceVersion: str('The referent\'s resourceVersion when the reference was made.'),
      uid: str('UID of the referent.'),
    },
    undefined,
    { 'x-kubernetes-map-type': 'atomic' },
  ),
  [`${CORE}Event`]: kind('A report of an event somewhere in the cluster.', {
    action: str('What action was taken or failed on the regarding object.'),
    count: int32('How many times this event has occurred.'),
    eventTime: ref(`${META}MicroTime`, 'When the event was first observed.'),
    firstTimestamp: ref(`${META}Time`, 'When the event was first recorded.'),
    involvedObject: ref(`${CORE}ObjectReference`, 'The object this event is about.', true),
    lastTimestamp: ref(`${META}Time`, 'When the most recent occurrence was recorded.'),
    message: str('A human-readable description of the status of this operation.'),
    reason: str('A short, machine-understandable reason for the transition, in CamelCase.'),
    related: ref(`${CORE}ObjectReference`, 'An optional second object for more complex actions.'),
    reportingComponent: str('Name of the controller that emitted this event, e.g. kubernetes.io/kubelet.'),
    reportingInstance: str('ID of the controller instance, e.g. kubelet-xyzf.'),
    series: open('Data about the series this event belongs to; absent for a singleton.'),
    source: ref(`${CORE}EventSource`, 'The component reporting this event.', true),
    type: str('Normal or Warning.'),
  }),
  [`${CORE}EventSource`]: struct('The component that reported an event.', {
    component: str('The component the event comes from.'),
    host: str('The node name the event was generated on.'),
  }),
  [`${CORE}Service`]: kind('A named abstraction of a software service: a local port the proxy listens on and the pods it sends to.', {
    spec: ref(`${CORE}ServiceSpec`, 'The behaviour of the service.', true),
    status: ref(`${CORE}ServiceStatus`, 'The most recently observed status of the service.', true),
  }),
  [`${CORE}ServiceSpec`]: struct('What a Service exposes and where it sends traffic.', {
    allocateLoadBalancerNodePorts: bool('Whether node ports are allocated for a LoadBalancer service. Defaults to true.'),
    clusterIP: str('The IP address of the service, usually assigned at random; "None" makes a headless service.'),
    clusterIPs: strings('The IP addresses of the service, the first equal to clusterIP.'),
    externalIPs: strings('IP addresses nodes also accept traffic for this service on.'),
    externalName: str('The external reference returned as a CNAME for an ExternalName service.'),
    externalTrafficPolicy: oneOf('How external traffic is distributed: Cluster or Local.', ['Cluster', 'Local']),
    healthCheckNodePort: int32('The health-check node port of a Local LoadBalancer service.'),
    internalTrafficPolicy: oneOf('How cluster-internal traffic is distributed: Cluster or Local.', ['Cluster', 'Local']),
    ipFamilies: strings('The IP families (IPv4, IPv6) assigned to this service.'),
    ipFamilyPolicy: oneOf('SingleStack, PreferDualStack or RequireDualStack.', ['PreferDualStack', 'RequireDualStack', 'SingleStack']),
    loadBalancerClass: str('The class of load balancer implementation this service belongs to.'),
    loadBalancerIP: str('Deprecated: the address asked of the load balancer.'),
    loadBalancerSourceRanges: strings('Client IP ranges the load balancer accepts traffic from.'),
    ports: listOf(`${CORE}ServicePort`, 'The ports this service exposes.', { type: 'map', keys: ['port', 'protocol'] }),
    publishNotReadyAddresses: bool('Publish addresses of pods that are not ready.'),
    selector: { ...stringMap('Pods with labels matching this selector receive the traffic.'), 'x-kubernetes-map-type': 'atomic' },
    sessionAffinity: oneOf('ClientIP keeps a client on one pod; None does not. Defaults to None.', ['ClientIP', 'None']),
    type: oneOf('How the service is exposed: ClusterIP (default), ExternalName, NodePort or LoadBalancer.', ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort']),
  }),
  [`${CORE}ServicePort`]: struct(
    'One port a Service exposes.',
    {
      appProtocol: str('The application protocol of this port, e.g. http or kubernetes.io/h2c.'),
      name: str('The name of this port; required and unique when the service has more than one.'),
      nodePort: int32('The port on each node for NodePort and LoadBalancer services, usually assigned by the system.'),
      port: int32('The port the service exposes.'),
      protocol: PROTOCOL,
      targetPort: ref(INT_OR_STRING, "The number or name of the port on the pods; defaults to port."),
    },
    ['port'],
  ),
  [`${CORE}ServiceStatus`]: open('The current status of a service.', {
    loadBalancer: open('The status of the load balancer, if any.', { ingress: list('Load-balancer ingress points.', open('One ingress point.')) }),
  }),
  [`${CORE}Pod`]: kind('A collection of containers that run on a host, created by clients and scheduled onto hosts.', {
    spec: ref(`${CORE}PodSpec`, 'The desired behaviour of the pod.', true),
    status: ref(`${CORE}PodStatus`, 'The most recently observed status of the pod.', true),
  }),
  [`${CORE}PodTemplateSpec`]: struct('What a pod created from a template looks like.', {
    metadata: METADATA,
    spec: ref(`${CORE}PodSpec`, 'The desired behaviour of the pod.', true),
  }),
  [`${CORE}PodSpec`]: struct(
    'What runs in a pod and how.',
    {
      activeDeadlineSeconds: int64('Seconds the pod may be active before the system stops it.'),
      affinity: open("The pod's scheduling constraints."),
      automountServiceAccountToken: bool('Whether the service account token is mounted automatically.'),
      containers: listOf(`${CORE}Container`, 'The containers of the pod; at least one. Cannot be updated.', { type: 'map', keys: ['name'] }),
      dnsPolicy: oneOf('DNS policy: ClusterFirstWithHostNet, ClusterFirst, Default or None. Defaults to ClusterFirst.', ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None']),
      enableServiceLinks: bool("Whether services' addresses are injected as environment variables."),
      hostNetwork: bool("Use the host's network namespace."),
      hostname: str("The pod's hostname; defaults to a system-defined value."),
      imagePullSecrets: listOf(`${CORE}LocalObjectReference`, 'Secrets used to pull the images of this pod.', { type: 'map', keys: ['name'] }),
      initContainers: listOf(`${CORE}Container`, 'Containers run in order before the app containers start.', { type: 'map', keys: ['name'] }),
      nodeName: str('The node the pod is scheduled onto.'),
      nodeSelector: { ...stringMap('Labels a node must have for the pod to fit on it.'), 'x-kubernetes-map-type': 'atomic' },
      priorityClassName: str("The pod's priority class."),
      restartPolicy: oneOf('Restart policy of all containers: Always, OnFailure or Never. Defaults to Always.', ['Always', 'Never', 'OnFailure']),
      schedulerName: str('The scheduler that dispatches the pod; the default scheduler when unset.'),
      securityContext: open('Pod-level security attributes.'),
      serviceAccount: str('Deprecated alias of serviceAccountName.'),
      serviceAccountName: str('The ServiceAccount the pod runs as.'),
      subdomain: str("The pod's subdomain, for a fully qualified hostname."),
      terminationGracePeriodSeconds: int64('Seconds the pod has to stop gracefully. Defaults to 30.'),
      tolerations: list("The pod's tolerations.", open('One toleration.')),
      volumes: list('Volumes containers of the pod can mount.', open('One volume: a name and a source.', { name: str('The name of the volume.') }), { type: 'map', keys: ['name'] }),
    },
    ['containers'],
  ),
  [`${CORE}PodStatus`]: open('The observed state of a pod; kept as the kubelet reports it.', {
    hostIP: str('The IP address of the host the pod runs on.'),
    phase: oneOf('Pending, Running, Succeeded, Failed or Unknown.', ['Failed', 'Pending', 'Running', 'Succeeded', 'Unknown']),
    podIP: str('The IP address allocated to the pod.'),
  }),
  [`${CORE}Container`]: struct(
    'A single application container that runs in a pod.',
    {
      args: strings("Arguments to the entrypoint; the image's CMD when not given."),
      command: strings("The entrypoint array, not run in a shell; the image's ENTRYPOINT when not given."),
      env: listOf(`${CORE}EnvVar`, 'Environment variables to set in the container.', { type: 'map', keys: ['name'] }),
      envFrom: list('Sources to fill environment variables from.', open('A ConfigMap or Secret to read variables from.')),
      image: str('The container image name.'),
      imagePullPolicy: oneOf('Always, Never or IfNotPresent. Defaults to Always for :latest, IfNotPresent otherwise.', ['Always', 'IfNotPresent', 'Never']),
      lifecycle: open('Actions the system takes around container lifecycle events.'),
      livenessProbe: open('When the container is restarted for failing.'),
      name: str('The name of the container, a DNS label unique within the pod. Cannot be updated.'),
      ports: listOf(`${CORE}ContainerPort`, 'Ports to expose from the container; informational.', { type: 'map', keys: ['containerPort', 'protocol'] }),
      readinessProbe: open('When the container is ready to serve traffic.'),
      resources: ref(`${CORE}ResourceRequirements`, 'Compute resources the container needs.', true),
      securityContext: open('Security options the container runs with.'),
      startupProbe: open('When the container has started.'),
      stdin: bool('Allocate a buffer for stdin.'),
      terminationMessagePath: str('Where the termination message is written. Defaults to /dev/termination-log.'),
      terminationMessagePolicy: oneOf('File or FallbackToLogsOnError. Defaults to File.', ['FallbackToLogsOnError', 'File']),
      tty: bool('Allocate a TTY (needs stdin).'),
      volumeMounts: listOf(`${CORE}VolumeMount`, 'Pod volumes to mount into the filesystem.', { type: 'map', keys: ['mountPath'] }),
      workingDir: str("The working directory; the image's when not given."),
    },
    ['name'],
  ),
  [`${CORE}ContainerPort`]: struct(
    'A network port in a single container.',
    {
      containerPort: int32("The port number on the pod's IP address: 0 < x < 65536."),
      hostIP: str('The host IP to bind the external port to.'),
      hostPort: int32('The port number on the host, if any.'),
      name: str('An IANA_SVC_NAME unique within the pod; services can refer to the port by it.'),
      protocol: PROTOCOL,
    },
    ['containerPort'],
  ),
  [`${CORE}EnvVar`]: struct(
    'An environment variable of a container.',
    {
      name: str('The name of the variable.'),
      value: str('The value; $(VAR) references are expanded. Defaults to "".'),
      valueFrom: ref(`${CORE}EnvVarSource`, "The variable's value from a source; cannot be used with value."),
    },
    ['name'],
  ),
  [`${CORE}EnvVarSource`]: struct('Where a variable takes its value from.', {
    configMapKeyRef: open('A key of a ConfigMap.', { key: str('The key to select.'), name: str('The ConfigMap.'), optional: bool('Whether it must exist.') }),
    fieldRef: open('A field of the pod.', { fieldPath: str('The path of the field, e.g. metadata.name.') }),
    resourceFieldRef: open('A resource of the container.', { resource: str('The resource to select, e.g. limits.cpu.') }),
    secretKeyRef: open('A key of a Secret.', { key: str('The key to select.'), name: str('The Secret.'), optional: bool('Whether it must exist.') }),
  }),
  [`${CORE}ResourceRequirements`]: struct('Compute resource requirements.', {
    claims: list('Names of resource claims the container uses.', open('One claim.'), { type: 'map', keys: ['name'] }),
    limits: quantities('The most compute resources allowed, e.g. cpu: 500m, memory: 1Gi.'),
    requests: quantities('The least compute resources required; defaults to limits when omitted.'),
  }),
  [`${CORE}VolumeMount`]: struct(
    'Where a volume is mounted in a container.',
    {
      mountPath: str('Path within the container at which to mount the volume.'),
      name: str('The volume to mount.'),
      readOnly: bool('Mount read-only. Defaults to false.'),
      subPath: str("Path within the volume to mount instead of its root."),
    },
    ['name', 'mountPath'],
  ),
};
