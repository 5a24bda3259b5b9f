/** describe, wait, explain, auth, discovery, logs, top, events, cluster-info, version. */
import type { Entry } from '../entry.js';
import { BROKEN, IRIS, applyStdin, configMap, create, eventWithReason, modelReady, pod, runningPod, service } from './fixtures.js';

export const OTHER_ENTRIES: Entry[] = [
  {
    name: 'describe-ns',
    args: ['describe', 'ns', '{ns}'],
    stdout: 'Name:         {ns}\nLabels:       kubernetes.io/metadata.name={ns}\nAnnotations:  <none>\nStatus:       Active\n\nNo resource quota.\n\nNo LimitRange resource.\n',
    code: 0,
    rule: 'kubectl describe NamespaceDescriber: metadata, Status, then the namespace\'s ResourceQuotas and LimitRanges',
  },
  {
    name: 'describe-model',
    setup: [create(IRIS), modelReady('iris')],
    args: ['describe', 'model', 'iris', '-n', '{ns}'],
    stdout: 'Name:         iris\nNamespace:    {ns}\nLabels:       <none>\nAnnotations:  <none>\nAPI Version:  mlops.seldon.io/v1alpha1\nKind:         Model\nMetadata:\n...\nSpec:\n  Requirements:\n    sklearn\n  Storage Uri:  gs://seldon-models/mlserver/iris\nStatus:\n...\nEvents:  <none>\n',
    code: 0,
    rule: 'kubectl describe GenericDescriber for custom resources: metadata, then the object\'s fields with names split into words, then Events',
  },
  {
    name: 'describe-service',
    setup: [create(service('web', 80, 8080))],
    args: ['describe', 'svc', 'web', '-n', '{ns}'],
    stdout:
      'Name:                     web\nNamespace:                {ns}\nLabels:                   app=web\nAnnotations:              <none>\nSelector:                 app=web\nType:                     ClusterIP\n' +
      'IP Family Policy:         SingleStack\nIP Families:              IPv4\nIP:                       [IP]\nIPs:                      [IP]\nPort:                     80-8080  80/TCP\nTargetPort:               8080/TCP\n' +
      'Endpoints:                \nSession Affinity:         None\nInternal Traffic Policy:  Cluster\nEvents:                   <none>\n',
    code: 0,
    rule: 'kubectl describe ServiceDescriber over the API server\'s Service defaults (ipFamilyPolicy SingleStack, ipFamilies [IPv4], internalTrafficPolicy Cluster)',
  },
  {
    name: 'describe-service-ready-pod',
    setup: [create(service('web', 80, 8080)), create(pod('web-1', 'web', 8080)), runningPod('web-1', '10.244.7.7')],
    args: ['describe', 'svc', 'web', '-n', '{ns}'],
    stdout:
      'Name:                     web\nNamespace:                {ns}\nLabels:                   app=web\nAnnotations:              <none>\nSelector:                 app=web\nType:                     ClusterIP\n' +
      'IP Family Policy:         SingleStack\nIP Families:              IPv4\nIP:                       [IP]\nIPs:                      [IP]\nPort:                     80-8080  80/TCP\nTargetPort:               8080/TCP\n' +
      'Endpoints:                10.244.7.7:8080\nSession Affinity:         None\nInternal Traffic Policy:  Cluster\nEvents:                   <none>\n',
    code: 0,
    rule: "kubectl describe ServiceDescriber: Endpoints per port from the Service's EndpointSlices (label kubernetes.io/service-name), ready endpoints as IP:targetPort",
  },
  {
    name: 'get-endpoints-none',
    setup: [create(service('web', 80, 8080))],
    args: ['get', 'endpoints', 'web', '-n', '{ns}'],
    stdout: 'NAME   ENDPOINTS   AGE\nweb    <none>      [AGE]\n',
    code: 0,
    rule: 'printers.go printEndpoints: formatEndpoints prints <none> for an Endpoints without subsets (the endpoints controller keeps one per Service with a selector)',
  },
  {
    name: 'get-endpointslices-placeholder',
    setup: [create(service('web', 80, 8080))],
    args: ['get', 'endpointslices', '-n', '{ns}', '-l', 'kubernetes.io/service-name=web', '-o', 'custom-columns=SERVICE:.metadata.labels.kubernetes\\.io/service-name,MANAGER:.metadata.labels.endpointslice\\.kubernetes\\.io/managed-by,TYPE:.addressType'],
    stdout: 'SERVICE   MANAGER                           TYPE\nweb       endpointslice-controller.k8s.io   IPv4\n',
    code: 0,
    rule: 'endpointslice controller: a Service whose selector matches no pod keeps one placeholder slice, labelled with the service name and managed-by',
  },
  {
    name: 'create-quota',
    args: ['create', 'quota', 'small', '--hard=pods=2', '-n', '{ns}'],
    stdout: 'resourcequota/small created\n',
    code: 0,
    rule: 'kubectl create quota sends a ResourceQuota in protobuf (core/v1 generated.proto: ResourceQuotaSpec.hard = 1, map of Quantity)',
  },
  {
    name: 'describe-quota',
    setup: [{ args: ['create', 'quota', 'small', '--hard=configmaps=5,pods=2', '-n', '{ns}'] }],
    args: ['describe', 'quota', 'small', '-n', '{ns}'],
    stdout: 'Name:       small\nNamespace:  {ns}\nResource    Used  Hard\n--------    ----  ----\nconfigmaps  1     5\npods        0     2\n',
    code: 0,
    rule: 'kubectl describe ResourceQuotaDescriber over the resourcequota controller\'s status (kube-root-ca.crt counts as a configmap)',
  },
  {
    name: 'describe-limitrange-defaults',
    // One resource per item: kubectl's describer walks an item's resources through a Go map, in no fixed order.
    setup: [applyStdin('apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: cpu\n  namespace: {ns}\nspec:\n  limits:\n  - type: Container\n    max: {cpu: "1"}\n  - type: Container\n    min: {memory: 64Mi}\n')],
    args: ['describe', 'limitrange', 'cpu', '-n', '{ns}'],
    stdout:
      'Name:       cpu\nNamespace:  {ns}\nType        Resource  Min   Max  Default Request  Default Limit  Max Limit/Request Ratio\n' +
      '----        --------  ---   ---  ---------------  -------------  -----------------------\n' +
      'Container   cpu       -     1    1                1              -\nContainer   memory    64Mi  -    64Mi             -              -\n',
    code: 0,
    rule: 'SetDefaults_LimitRangeItem: a Container default limit falls back to max, the default request to the default limit, then to min; kubectl describe LimitRangeDescriber',
  },
  {
    name: 'get-limitranges-none',
    args: ['get', 'limitranges', '-n', '{ns}'],
    stderr: 'No resources found in {ns} namespace.\n',
    code: 0,
    rule: 'kubectl get: an empty list prints `No resources found in <ns> namespace.` to stderr and exits 0 (limitranges are served, empty by default)',
  },
  {
    name: 'wait-condition',
    setup: [create(IRIS)],
    args: ['wait', '--for=condition=Ready', 'model/iris', '-n', '{ns}', '--timeout=20s'],
    stdout: 'model.mlops.seldon.io/iris condition met\n',
    code: 0,
    rule: 'kubectl wait --for=condition: type and status compared case-insensitively; prints `condition met`',
  },
  {
    name: 'wait-timeout',
    setup: [create(BROKEN)],
    args: ['wait', '--for=condition=Ready', 'model/broken', '-n', '{ns}', '--timeout=1s'],
    stderr: 'error: timed out waiting for the condition on models/broken\n',
    code: 1,
    rule: 'kubectl wait: on timeout `error: timed out waiting for the condition on <resource>/<name>`',
  },
  {
    name: 'wait-delete',
    setup: [create(configMap('settings'))],
    // -v=6 logs each answered request: the delete waits for the LIST, so it cannot come before kubectl looks.
    args: ['wait', '--for=delete', 'cm/settings', '-n', '{ns}', '--timeout=10s', '-v=6'],
    during: { after: { stderr: 'configmaps?fieldSelector=metadata.name%3Dsettings' }, run: [{ args: ['delete', 'cm', 'settings', '-n', '{ns}', '--wait=false'] }] },
    stdout: 'configmap/settings condition met\n',
    stderr: '...',
    code: 0,
    rule: 'kubectl wait --for=delete: a DELETED watch event (or 404) meets the condition',
  },
  {
    name: 'wait-jsonpath',
    args: ['wait', '--for=jsonpath={.status.phase}=Active', 'ns/{ns}', '--timeout=10s'],
    stdout: 'namespace/{ns} condition met\n',
    code: 0,
    rule: 'kubectl wait --for=jsonpath: the JSONPath result compared with the value',
  },
  {
    name: 'explain-model-field',
    phase: 'read-only',
    args: ['explain', 'models.spec.storageUri'],
    stdout: 'GROUP:      mlops.seldon.io\nKIND:       Model\nVERSION:    v1alpha1\n\nFIELD: storageUri <string>\n\n\nDESCRIPTION:\n    [..]\n...',
    code: 0,
    rule: 'kubectl explain (OpenAPI v3 template): GROUP/KIND/VERSION, FIELD <type>, DESCRIPTION from the CRD schema',
  },
  {
    name: 'explain-pod',
    phase: 'read-only',
    args: ['explain', 'pods.spec.containers.image'],
    // The layout and the field's type are kubectl's and the schema's; the description's wording is the schema's own.
    stdout: 'KIND:       Pod\nVERSION:    v1\n\nFIELD: image <string>\n\n\nDESCRIPTION:\n    [..]\n...',
    code: 0,
    rule: 'kubectl explain over the built-in schemas (/openapi/v3/api/v1)',
  },
  {
    name: 'auth-can-i',
    phase: 'read-only',
    args: ['auth', 'can-i', 'create', 'models.mlops.seldon.io', '-n', 'seldon-mesh'],
    stdout: 'yes\n',
    code: 0,
    rule: 'kubectl auth can-i: a SelfSubjectAccessReview; `yes` and exit 0 when allowed',
  },
  {
    name: 'auth-whoami',
    phase: 'read-only',
    args: ['auth', 'whoami'],
    stdout: 'ATTRIBUTE[..]VALUE\nUsername[..]\n...',
    code: 0,
    rule: 'kubectl auth whoami: a SelfSubjectReview (authentication.k8s.io/v1), printed as ATTRIBUTE/VALUE rows',
  },
  {
    name: 'api-resources',
    phase: 'read-only',
    args: ['api-resources', '--api-group=mlops.seldon.io'],
    stdout:
      'NAME             SHORTNAMES   APIVERSION                 NAMESPACED   KIND\n' +
      'experiments      mlx          mlops.seldon.io/v1alpha1   true         Experiment\n' +
      'models           mlm          mlops.seldon.io/v1alpha1   true         Model\n' +
      'pipelines        mlp          mlops.seldon.io/v1alpha1   true         Pipeline\n' +
      'seldonruntimes   mlsr         mlops.seldon.io/v1alpha1   true         SeldonRuntime\n' +
      'servers          mls          mlops.seldon.io/v1alpha1   true         Server\n',
    code: 0,
    rule: 'kubectl api-resources: discovery\'s APIResourceList, sorted by name; Seldon\'s CRDs\' short names',
  },
  {
    name: 'api-resources-core',
    phase: 'read-only',
    args: ['api-resources', '--api-group=', '-o', 'name'],
    stdout: '...\nconfigmaps\nendpoints\nevents\nlimitranges\nnamespaces\n...\npods\n...\nresourcequotas\nsecrets\nserviceaccounts\nservices\n',
    code: 0,
    rule: 'kubectl api-resources -o name: the core group\'s plurals, sorted (kube-apiserver 1.32 also serves nodes, persistentvolume(claim)s, podtemplates, replicationcontrollers, … in the gaps)',
  },
  {
    name: 'api-versions',
    phase: 'read-only',
    args: ['api-versions'],
    stdout: 'apiextensions.k8s.io/v1\napps/v1\n...\nmlops.seldon.io/v1alpha1\nnetworking.istio.io/v1\nnetworking.istio.io/v1alpha3\nnetworking.istio.io/v1beta1\nv1\n',
    code: 0,
    rule: 'kubectl api-versions: every served group/version from discovery, sorted',
  },
  {
    name: 'logs-missing-pod',
    args: ['logs', 'nope', '-n', '{ns}'],
    stderr: 'error: error from server (NotFound): pods "nope" not found in namespace "{ns}"\n',
    code: 1,
    rule: 'kubectl logs: the pod is looked up first; its NotFound is wrapped with the namespace',
  },
  {
    name: 'logs-container-choice',
    phase: 'read-only',
    args: ['logs', 'mlserver-0', '-n', 'seldon-mesh', '-c', 'nope'],
    stderr: 'error: container nope is not valid for pod mlserver-0\n',
    code: 1,
    rule: 'kubectl logs -c: a container the pod does not have',
  },
  {
    name: 'top-pods',
    phase: 'read-only',
    args: ['top', 'pods', '-n', 'seldon-mesh'],
    stderr: 'error: Metrics API not available\n',
    code: 1,
    rule: 'kubectl top: without the metrics.k8s.io group in discovery',
  },
  {
    name: 'events',
    setup: [create(BROKEN), eventWithReason('ModelFailed')],
    args: ['events', '-n', '{ns}'],
    stdout: 'LAST SEEN   TYPE      REASON        OBJECT         MESSAGE\n[AGE]          Warning   ModelFailed   Model/broken   failed to load model from gs://nowhere/unknown: unknown storage URI\n',
    code: 0,
    rule: 'kubectl events: its own table of the namespace\'s core/v1 Events, OBJECT as <Kind>/<name>',
  },
  {
    name: 'cluster-info',
    phase: 'read-only',
    args: ['cluster-info'],
    stdout: '[..]Kubernetes control plane[..] is running at [..]https://127.0.0.1:[PORT][..]\n\nTo further debug and diagnose cluster problems, use \'kubectl cluster-info dump\'.\n',
    code: 0,
    rule: 'kubectl cluster-info: the control plane\'s address, then the hint; the kube-system services labelled kubernetes.io/cluster-service (none here)',
  },
  {
    name: 'version',
    phase: 'read-only',
    args: ['version'],
    stdout: 'Client Version: v1.32[..]\nKustomize Version: v[..]\nServer Version: v1.[..]\n',
    code: 0,
    rule: 'kubectl version: client, kustomize, then /version\'s gitVersion',
  },
];
