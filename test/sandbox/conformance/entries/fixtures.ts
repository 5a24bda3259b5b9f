/** Manifests the entries apply, each in the entry's own namespace (`{ns}`), as Seldon's and Istio's docs write them. */

export const model = (name: string, storageUri = 'gs://seldon-models/mlserver/iris', replicas?: number): string => `apiVersion: mlops.seldon.io/v1alpha1
kind: Model
metadata:
  name: ${name}
  namespace: {ns}
spec:
${replicas === undefined ? '' : `  replicas: ${replicas}\n`}  requirements:
  - sklearn
  storageUri: ${storageUri}
`;

export const IRIS = model('iris');

/** A Model whose artefact the sandbox's registry cannot load: it fails to schedule and gets a Warning event. */
export const BROKEN = model('broken', 'gs://nowhere/unknown');

export const VIRTUAL_SERVICE = `apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata:
  name: iris-route
  namespace: {ns}
spec:
  gateways:
  - istio-system/seldon-gateway
  hosts:
  - '*'
  http:
  - match:
    - uri:
        prefix: /v2
    name: iris-http
    route:
    - destination:
        host: seldon-mesh.seldon-mesh.svc.cluster.local
      headers:
        request:
          set:
            seldon-model: iris
`;

export const GATEWAY = `apiVersion: networking.istio.io/v1beta1
kind: Gateway
metadata:
  name: seldon-gateway
  namespace: {ns}
spec:
  selector:
    istio: ingressgateway
  servers:
  - hosts:
    - '*'
    port:
      name: http
      number: 80
      protocol: HTTP
`;

export const configMap = (name: string, data: Record<string, string> = { a: 'b' }): string =>
  `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
  namespace: {ns}
data:
${Object.entries(data)
  .map(([k, v]) => `  ${k}: "${v}"`)
  .join('\n')}
`;

export const PIPELINE = `apiVersion: mlops.seldon.io/v1alpha1
kind: Pipeline
metadata:
  name: iris-pipeline
  namespace: {ns}
spec:
  steps:
  - name: iris
  output:
    steps:
    - iris
`;

/** kubectl with these args creates the objects of a manifest given on stdin. */
export const applyStdin = (stdin: string) => ({ args: ['apply', '-f', '-'], stdin });

/** A ClusterIP Service as `kubectl create service clusterip <name> --tcp=<port>:<target>` makes it. */
export const service = (name: string, port: number, target = port): string => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: {ns}
  labels:
    app: ${name}
spec:
  type: ClusterIP
  selector:
    app: ${name}
  ports:
  - name: '${port === target ? String(port) : `${port}-${target}`}'
    port: ${port}
    protocol: TCP
    targetPort: ${target}
`;

type Condition = { type?: string; status?: string };

/** Setup: wait until the Model's Ready condition has this status. */
export const modelReady = (name: string, status: 'True' | 'False' = 'True') => ({
  until: {
    path: `/apis/mlops.seldon.io/v1alpha1/namespaces/{ns}/models/${name}`,
    test: (body: { status?: { conditions?: Condition[] } }) => (body.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === status),
  },
});

/** Setup: wait until the namespace holds an Event with this reason. */
export const eventWithReason = (reason: string) => ({
  until: { path: '/api/v1/namespaces/{ns}/events', test: (body: { items?: { reason?: string }[] }) => (body.items ?? []).some((e) => e.reason === reason) },
});

export const create = (yaml: string) => ({ create: yaml });

/** A Deployment as `kubectl create deployment <name> --image=nginx --replicas=<n>` makes it. */
export const deployment = (name: string, replicas: number): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: {ns}
  labels:
    app: ${name}
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
      - name: nginx
        image: nginx
`;

/** A pod labelled `app: <app>`; `runningPod` gives it the status a kubelet would report. */
export const pod = (name: string, app: string, containerPort: number): string => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: {ns}
  labels:
    app: ${app}
spec:
  containers:
  - name: main
    image: nginx
    ports:
    - containerPort: ${containerPort}
`;

/** Stands in for the kubelet: the pod runs at `ip` and is Ready. */
export const runningPod = (name: string, ip: string) => ({
  args: ['patch', 'pod', name, '-n', '{ns}', '--subresource=status', '--type=merge', '-p', JSON.stringify({ status: { phase: 'Running', podIP: ip, podIPs: [{ ip }], conditions: [{ type: 'Ready', status: 'True' }] } })],
});

export const statefulSet = (name: string, replicas: number): string => `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: ${name}
  namespace: {ns}
spec:
  replicas: ${replicas}
  serviceName: ${name}
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
      - name: main
        image: postgres
`;
