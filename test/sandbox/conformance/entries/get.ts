/** `kubectl get` in its output forms, on the seeded cluster and on objects an entry creates. */
import type { Entry } from '../entry.js';
import { BROKEN, GATEWAY, IRIS, PIPELINE, VIRTUAL_SERVICE, configMap, create, deployment, eventWithReason, model, modelReady, service } from './fixtures.js';

const POD_TABLE = 'printers.go podColumnDefinitions/printPod: READY ready/total containers, STATUS the phase or reason, RESTARTS, AGE translateTimestampSince';
const NOT_FOUND = 'apimachinery StatusError NotFound printed by kubectl as `Error from server (NotFound): <resource>.<group> "<name>" not found`';

export const GET_ENTRIES: Entry[] = [
  {
    name: 'get-pods',
    phase: 'read-only',
    args: ['get', 'pods', '-n', 'seldon-mesh', '-l', 'app=seldon-scheduler'],
    stdout: 'NAME                 READY   STATUS    RESTARTS   AGE\nseldon-scheduler-0   1/1     Running   0          [AGE]\n',
    code: 0,
    rule: POD_TABLE,
  },
  {
    name: 'get-pods-wide',
    phase: 'read-only',
    args: ['get', 'pod', 'seldon-scheduler-0', '-n', 'seldon-mesh', '-o', 'wide'],
    stdout:
      'NAME                 READY   STATUS    RESTARTS   AGE   IP           NODE              NOMINATED NODE   READINESS GATES\n' +
      'seldon-scheduler-0   1/1     Running   0          [AGE]   [IP]   runbook-sandbox   <none>           <none>\n',
    code: 0,
    rule: 'printers.go podColumnDefinitions: IP, NODE, NOMINATED NODE, READINESS GATES are priority 1 (wide only); empty ones print <none>',
  },
  {
    name: 'get-pods-no-match',
    phase: 'read-only',
    args: ['get', 'pods', '-n', 'seldon-mesh', '-l', 'app=nothing-has-this'],
    stderr: 'No resources found in seldon-mesh namespace.\n',
    code: 0,
    rule: 'kubectl get: an empty list prints `No resources found in <ns> namespace.` to stderr and exits 0',
  },
  {
    name: 'get-svc',
    phase: 'read-only',
    args: ['get', 'svc', 'istio-ingressgateway', '-n', 'istio-system'],
    stdout:
      'NAME                   TYPE           CLUSTER-IP    EXTERNAL-IP    PORT(S)                                      AGE\n' +
      'istio-ingressgateway   LoadBalancer   10.96.12.34   172.21.255.1   15021:30621/TCP,80:31380/TCP,443:31390/TCP   [AGE]\n',
    code: 0,
    rule: 'printers.go printService: EXTERNAL-IP from status.loadBalancer.ingress, PORT(S) port:nodePort/protocol joined by commas',
  },
  {
    name: 'get-svc-wide',
    phase: 'read-only',
    args: ['get', 'svc', '-n', 'seldon-mesh', '-o', 'wide'],
    stdout:
      'NAME               TYPE           CLUSTER-IP    EXTERNAL-IP    PORT(S)                                                       AGE   SELECTOR\n' +
      'seldon-mesh        LoadBalancer   10.96.45.67   172.21.255.2   80:31080/TCP,9003:31903/TCP                                   [AGE]   app=seldon-envoy\n' +
      'seldon-scheduler   LoadBalancer   10.96.45.68   172.21.255.3   9002:31902/TCP,9004:31904/TCP,9005:31905/TCP,9008:31908/TCP   [AGE]   app=seldon-scheduler\n',
    code: 0,
    rule: 'printers.go serviceColumnDefinitions: SELECTOR is priority 1, labels.FormatLabels of spec.selector',
  },
  {
    name: 'get-svc-name',
    phase: 'read-only',
    args: ['get', 'svc', '-n', 'seldon-mesh', '-o', 'name'],
    stdout: 'service/seldon-mesh\nservice/seldon-scheduler\n',
    code: 0,
    rule: 'cli-runtime NamePrinter: <resource>[.<group>]/<name>, one per line, in list order (by name)',
  },
  {
    name: 'get-svc-custom-columns',
    phase: 'read-only',
    args: ['get', 'svc', '-n', 'seldon-mesh', '-o', 'custom-columns=NAME:.metadata.name,TYPE:.spec.type,ADDRESS:.status.loadBalancer.ingress[0].ip'],
    stdout: 'NAME               TYPE           ADDRESS\nseldon-mesh        LoadBalancer   172.21.255.2\nseldon-scheduler   LoadBalancer   172.21.255.3\n',
    code: 0,
    rule: 'cli-runtime CustomColumnsPrinter: the named headers, each cell the JSONPath result on the full object',
  },
  {
    name: 'get-jsonpath',
    phase: 'read-only',
    args: ['get', 'svc', 'istio-ingressgateway', '-n', 'istio-system', '-o', 'jsonpath={.status.loadBalancer.ingress[0].ip}'],
    stdout: '172.21.255.1',
    code: 0,
    rule: 'cli-runtime JSONPathPrinter: the value with no trailing newline',
  },
  {
    name: 'get-ns',
    phase: 'read-only',
    args: ['get', 'ns', 'default', 'istio-system'],
    stdout: 'NAME           STATUS   AGE\ndefault        Active   [AGE]\nistio-system   Active   [AGE]\n',
    code: 0,
    rule: 'printers.go namespaceColumnDefinitions: NAME, STATUS (status.phase), AGE',
  },
  {
    name: 'get-ns-show-labels',
    phase: 'read-only',
    args: ['get', 'ns', 'seldon-mesh', '--show-labels'],
    stdout: 'NAME          STATUS   AGE   LABELS\nseldon-mesh   Active   [AGE]   kubernetes.io/metadata.name=seldon-mesh\n',
    code: 0,
    rule: 'cli-runtime tableprinter: --show-labels appends LABELS from each row\'s object metadata; namespaces carry kubernetes.io/metadata.name',
  },
  {
    name: 'get-servers-all-namespaces',
    phase: 'read-only',
    args: ['get', 'servers', '-A'],
    stdout: 'NAMESPACE     NAME       READY   REPLICAS   LOADED MODELS   AGE\nseldon-mesh   mlserver   True    1          0               [AGE]\nseldon-mesh   triton     True    1          0               [AGE]\n',
    code: 0,
    rule: 'apiextensions tableconvertor: the CRD\'s additionalPrinterColumns; -A prepends NAMESPACE (cli-runtime WithNamespace)',
  },
  {
    name: 'get-crd',
    phase: 'read-only',
    args: ['get', 'crd', 'models.mlops.seldon.io'],
    stdout: 'NAME                     CREATED AT\nmodels.mlops.seldon.io   [TIME]\n',
    code: 0,
    rule: 'apiserver rest.DefaultTableConvertor (CRDs have no printer): NAME and CREATED AT as RFC 3339',
  },
  {
    name: 'get-unknown-type',
    phase: 'read-only',
    args: ['get', 'foos'],
    stderr: 'error: the server doesn\'t have a resource type "foos"\n',
    code: 1,
    rule: 'kubectl RESTMapper: a resource no discovery document names',
  },
  {
    name: 'get-missing-model',
    args: ['get', 'model', 'nope', '-n', '{ns}'],
    stderr: 'Error from server (NotFound): models.mlops.seldon.io "nope" not found\n',
    code: 1,
    rule: NOT_FOUND,
  },
  {
    name: 'get-models',
    setup: [create(IRIS), modelReady('iris')],
    args: ['get', 'models', '-n', '{ns}'],
    stdout: 'NAME   READY   DESIRED REPLICAS   AVAILABLE REPLICAS   AGE\niris   True    1                  1                    [AGE]\n',
    code: 0,
    rule: 'apiextensions tableconvertor over Seldon\'s Model printer columns (Ready, Desired Replicas, Available Replicas, Age)',
  },
  {
    name: 'get-models-sort-by-replicas',
    setup: [create(model('a', undefined, 3) + '---\n' + model('b', undefined, 1) + '---\n' + model('c', undefined, 2))],
    args: ['get', 'models', '-n', '{ns}', '--sort-by=.spec.replicas'],
    stdout: 'NAME   READY   DESIRED REPLICAS   AVAILABLE REPLICAS   AGE\nb      [..]\nc      [..]\na      [..]\n',
    code: 0,
    rule: 'kubectl get --sort-by asks for Tables with includeObject=Object and sorts the rows by the embedded objects (numbers numerically)',
  },
  {
    name: 'get-svc-sort-by-port',
    setup: [create(service('web', 8080) + '---\n' + service('api', 80) + '---\n' + service('tls', 443))],
    args: ['get', 'svc', '-n', '{ns}', '--sort-by=.spec.ports[0].port'],
    stdout:
      'NAME   TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)    AGE\n' +
      'api    ClusterIP   [IP]   <none>        80/TCP     [AGE]\n' +
      'tls    ClusterIP   [IP]   <none>        443/TCP    [AGE]\n' +
      'web    ClusterIP   [IP]   <none>        8080/TCP   [AGE]\n',
    code: 0,
    rule: 'kubectl get --sort-by on a non-metadata field: the Table rows sorted by the embedded objects\' values (numbers numerically)',
  },
  {
    name: 'get-sort-by-name',
    phase: 'read-only',
    args: ['get', 'pods', '-n', 'seldon-mesh', '--sort-by=.metadata.name', '-l', 'app in (seldon-envoy,seldon-scheduler)'],
    stdout:
      'NAME                            READY   STATUS    RESTARTS   AGE\n' +
      'seldon-envoy-6c8d9b6f7d-x2k8q   1/1     Running   0          [AGE]\n' +
      'seldon-scheduler-0              1/1     Running   0          [AGE]\n',
    code: 0,
    rule: `kubectl get --sort-by=.metadata.name and set-based selectors (labels.Parse \`in\`); ${POD_TABLE}`,
  },
  {
    name: 'get-events',
    setup: [create(BROKEN), eventWithReason('ModelFailed')],
    args: ['get', 'events', '-n', '{ns}'],
    stdout: 'LAST SEEN   TYPE      REASON        OBJECT         MESSAGE\n[AGE]          Warning   ModelFailed   model/broken   failed to load model from gs://nowhere/unknown: unknown storage URI\n',
    code: 0,
    rule: 'printers.go eventColumnDefinitions/printEvent: LAST SEEN, TYPE, REASON, OBJECT as <lowercase kind>/<name>, MESSAGE; no NAME column',
  },
  {
    name: 'get-events-wide',
    setup: [create(BROKEN), eventWithReason('ModelFailed')],
    args: ['get', 'events', '-n', '{ns}', '-o', 'wide'],
    stdout:
      'LAST SEEN   TYPE      REASON        OBJECT         SUBOBJECT   SOURCE                      MESSAGE   FIRST SEEN   COUNT   NAME\n' +
      '[AGE]          Warning   ModelFailed   model/broken               seldon-controller-manager   failed to load model from gs://nowhere/unknown: unknown storage URI   [AGE]           1       broken.[..]\n',
    code: 0,
    rule: 'printers.go eventColumnDefinitions: SUBOBJECT, SOURCE (formatEventSource), FIRST SEEN, COUNT, NAME are priority 1',
  },
  {
    name: 'get-virtualservices',
    setup: [create(VIRTUAL_SERVICE)],
    args: ['get', 'virtualservices', '-n', '{ns}'],
    stdout: 'NAME         GATEWAYS                          HOSTS     AGE\niris-route   ["istio-system/seldon-gateway"]   ["*"]     [AGE]\n',
    code: 0,
    rule: 'apiextensions tableconvertor: a string column holding a list prints it as JSON (Istio\'s Gateways/Hosts columns)',
  },
  {
    name: 'get-gateway-default-columns',
    setup: [create(GATEWAY)],
    args: ['get', 'gateways.networking.istio.io', '-n', '{ns}'],
    stdout: 'NAME             AGE\nseldon-gateway   [AGE]\n',
    code: 0,
    rule: 'apiextensions serveDefaultColumnsIfEmpty: a CRD without printer columns gets Age',
  },
  {
    name: 'get-pipelines',
    setup: [create(IRIS + '---\n' + PIPELINE)],
    args: ['get', 'pipelines', '-n', '{ns}', '-o', 'name'],
    stdout: 'pipeline.mlops.seldon.io/iris-pipeline\n',
    code: 0,
    rule: 'cli-runtime NamePrinter: <kind>.<group>/<name> for a custom resource',
  },
  {
    name: 'get-secret',
    setup: [{ args: ['create', 'secret', 'generic', 'creds', '--from-literal=user=admin', '--from-literal=pass=x', '-n', '{ns}'] }],
    args: ['get', 'secret', 'creds', '-n', '{ns}'],
    stdout: 'NAME    TYPE     DATA   AGE\ncreds   Opaque   2      [AGE]\n',
    code: 0,
    rule: 'printers.go secretColumnDefinitions/printSecret: TYPE, DATA = len(data)',
  },
  {
    name: 'get-configmap',
    setup: [create(configMap('settings', { a: '1', b: '2', c: '3' }))],
    args: ['get', 'cm', 'settings', '-n', '{ns}'],
    stdout: 'NAME       DATA   AGE\nsettings   3      [AGE]\n',
    code: 0,
    rule: 'printers.go printConfigMap: DATA = len(data) + len(binaryData)',
  },
  {
    name: 'get-configmap-yaml',
    setup: [create(configMap('settings'))],
    args: ['get', 'cm', 'settings', '-n', '{ns}', '-o', 'yaml'],
    stdout: 'apiVersion: v1\ndata:\n  a: b\nkind: ConfigMap\nmetadata:\n  creationTimestamp: "[TIME]"\n  name: settings\n  namespace: {ns}\n  resourceVersion: "[RV]"\n  uid: [UID]\n',
    code: 0,
    rule: 'cli-runtime YAMLPrinter: keys sorted; the server fills creationTimestamp, resourceVersion, uid (api-conventions: ObjectMeta); managedFields hidden by kubectl',
  },
  {
    name: 'get-gateway-json',
    setup: [create(GATEWAY)],
    args: ['get', 'gateway', 'seldon-gateway', '-n', '{ns}', '-o', 'json'],
    stdout:
      '{\n    "apiVersion": "networking.istio.io/v1",\n    "kind": "Gateway",\n    "metadata": {\n        "creationTimestamp": "[TIME]",\n        "generation": 1,\n' +
      '        "name": "seldon-gateway",\n        "namespace": "{ns}",\n        "resourceVersion": "[RV]",\n        "uid": "[UID]"\n    },\n' +
      '    "spec": {\n        "selector": {\n            "istio": "ingressgateway"\n        },\n        "servers": [\n            {\n                "hosts": [\n                    "*"\n                ],\n' +
      '                "port": {\n                    "name": "http",\n                    "number": 80,\n                    "protocol": "HTTP"\n                }\n            }\n        ]\n    }\n}\n',
    code: 0,
    rule: 'cli-runtime JSONPrinter (4-space indent, keys sorted); served in the preferred version v1 (discovery); custom resources start at generation 1',
  },
  {
    name: 'get-watch',
    setup: [create(configMap('settings'))],
    args: ['get', 'cm', '-n', '{ns}', '--field-selector=metadata.name!=kube-root-ca.crt', '-w'],
    during: { after: 'first-output', run: [{ args: ['label', 'cm', 'settings', 'tier=x', '-n', '{ns}'] }], interruptAfterLines: 3 },
    stdout: 'NAME       DATA   AGE\nsettings   1      [AGE]\nsettings   1      [AGE]\n',
    code: 1,
    rule: 'kubectl get -w: the list, then one row per watch event under the same header (watch events carry Table rows; only a change of columns prints a new header); Ctrl-C exits 1 (kubectl util/interrupt)',
  },
  {
    name: 'get-watch-events',
    setup: [create(configMap('settings'))],
    args: ['get', 'cm', '-n', '{ns}', '--field-selector=metadata.name!=kube-root-ca.crt', '-w', '--output-watch-events'],
    during: { after: 'first-output', run: [{ args: ['create', 'configmap', 'more', '-n', '{ns}'] }], interruptAfterLines: 3 },
    stdout: 'EVENT   NAME       DATA   AGE\nADDED   settings   1      [AGE]\nADDED   more       0      [AGE]\n',
    code: 1,
    rule: 'kubectl get -w --output-watch-events: an EVENT column before the Table\'s own; Ctrl-C exits 1',
  },
  {
    name: 'get-watch-timeout',
    args: ['get', 'ns', '{ns}', '-w', '--request-timeout=1s'],
    stdout: 'NAME   STATUS   AGE\n{ns}   Active   [AGE]\n',
    code: 0,
    rule: 'kubectl get -w --request-timeout: the watch ends when the server closes it at timeoutSeconds; exit 0',
  },
  {
    name: 'get-deploy-sort-by-replicas',
    setup: [create(deployment('big', 3) + '---\n' + deployment('small', 1))],
    args: ['get', 'deploy', '-n', '{ns}', '--sort-by=.spec.replicas', '-o', 'wide'],
    stdout: 'NAME    READY   UP-TO-DATE   AVAILABLE   AGE   CONTAINERS   IMAGES   SELECTOR\nsmall   [..]   [AGE]   nginx        nginx    app=small\nbig     [..]   [AGE]   nginx        nginx    app=big\n',
    code: 0,
    rule: 'printers.go deploymentColumnDefinitions (READY ready/desired, UP-TO-DATE, AVAILABLE; wide CONTAINERS, IMAGES, SELECTOR); --sort-by on a non-metadata field of a built-in kind',
  },
  {
    name: 'get-all',
    phase: 'read-only',
    args: ['get', 'all', '-n', 'seldon-mesh', '-l', 'app=seldon-scheduler'],
    stdout:
      'NAME                     READY   STATUS    RESTARTS   AGE\npod/seldon-scheduler-0   1/1     Running   0          [AGE]\n\n' +
      'NAME                       TYPE           CLUSTER-IP    EXTERNAL-IP    PORT(S)                                                       AGE\n' +
      'service/seldon-scheduler   LoadBalancer   10.96.45.68   172.21.255.3   9002:31902/TCP,9004:31904/TCP,9005:31905/TCP,9008:31908/TCP   [AGE]\n\n' +
      'NAME                                READY   AGE\nstatefulset.apps/seldon-scheduler   1/1     [AGE]\n',
    code: 0,
    rule: 'kubectl get all: the `all` category expanded in discovery order (the API installer sorts a group\'s resources by name), one table per kind with <resource>[.<group>]/ prefixes',
  },
];
