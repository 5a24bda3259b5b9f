/**
 * The structural schemas of Istio's networking CRDs (networking.istio.io: Gateway, VirtualService,
 * DestinationRule), after Istio's generated CRDs: every spec field typed, so a misspelt field is an unknown field;
 * the status and the free-form corners (a Struct, a load-balancer's tuning) keep what they are given.
 */
import type { Schema } from '../store/schema.js';
import { bool, int32, str } from './dsl.js';

const object = (description: string, properties: Record<string, Schema>, required?: string[]): Schema => ({
  type: 'object',
  description,
  properties,
  ...(required ? { required } : {}),
});
const array = (description: string, items: Schema): Schema => ({ type: 'array', description, items });
const strings = (description: string): Schema => array(description, { type: 'string' });
const map = (description: string, value: Schema): Schema => ({ type: 'object', description, additionalProperties: value });
const free = (description: string): Schema => ({ type: 'object', description, 'x-kubernetes-preserve-unknown-fields': true });
const duration = (description: string): Schema => str(`${description} A duration such as 1s or 250ms.`);

const stringMatch = object('How to match a string: exactly, by prefix or by RE2 regex (one of them).', {
  exact: str('The whole string.'),
  prefix: str('A prefix of the string.'),
  regex: str('An RE2 regular expression.'),
});
const percent = object('A share of requests, 0.0 to 100.0.', { value: { type: 'number', format: 'double', description: 'The share, in percent.' } });
const portSelector = object('A port of the destination.', { number: { type: 'integer', description: 'A valid port number.' } });
const headerOps = object('Header operations on a request or a response.', {
  add: map('Append these values to the headers.', { type: 'string' }),
  remove: strings('Remove these headers.'),
  set: map('Overwrite these headers.', { type: 'string' }),
});
const headers = object('Header manipulation rules.', { request: headerOps, response: headerOps });
const destination = object(
  'The service and subset requests are forwarded to.',
  { host: str('The service name from the registry, e.g. reviews.default.svc.cluster.local.'), port: portSelector, subset: str('A subset defined in a DestinationRule.') },
  ['host'],
);

const httpMatch = object('Conditions a request must meet, ANDed within one match, ORed across matches.', {
  authority: stringMatch,
  gateways: strings('Gateways the rule applies to; overrides the VirtualService gateways.'),
  headers: map('Header values that must match; keys are lowercase.', stringMatch),
  ignoreUriCase: bool('Match the URI case-insensitively.'),
  method: stringMatch,
  name: str('The name of the match, kept in logs.'),
  port: int32('The port being addressed.'),
  queryParams: map('Query parameters that must match (exact or regex only).', stringMatch),
  scheme: stringMatch,
  sourceLabels: map('Labels the source workload must have.', { type: 'string' }),
  sourceNamespace: str('The namespace the source workload must be in.'),
  statPrefix: str('A prefix for the stats of this route.'),
  uri: stringMatch,
  withoutHeaders: map('Headers that must not match.', stringMatch),
});

const httpRoute = object('Rules for HTTP/1.1, HTTP2 and gRPC traffic, tried in order.', {
  corsPolicy: free('Cross-Origin Resource Sharing policy.'),
  delegate: object('Another VirtualService to delegate this route to.', { name: str('Its name.'), namespace: str('Its namespace.') }),
  directResponse: object(
    'A fixed response instead of forwarding.',
    { body: object('The response body.', { bytes: { type: 'string', format: 'binary', description: 'Base64 bytes.' }, string: str('Text.') }), status: { type: 'integer', description: 'The HTTP status.' } },
    ['status'],
  ),
  fault: object('Faults to inject: delays and aborts.', {
    abort: object('Abort requests with an error.', { grpcStatus: str('A gRPC status such as UNAVAILABLE.'), http2Error: str('An HTTP/2 error.'), httpStatus: int32('An HTTP status code.'), percentage: percent }),
    delay: object('Delay requests.', { exponentialDelay: str('Not supported.'), fixedDelay: duration('How long to wait.'), percent: int32('Deprecated integer share.'), percentage: percent }),
  }),
  headers,
  match: array('Conditions for the rule to apply.', httpMatch),
  mirror: destination,
  mirrorPercent: { type: 'integer', description: 'Deprecated: share of traffic to mirror.' },
  mirrorPercentage: percent,
  mirrors: array('Destinations to mirror traffic to.', object('A mirror.', { destination, percentage: percent }, ['destination'])),
  name: str('The name of the route, kept in logs.'),
  redirect: object('An HTTP 301 redirect instead of forwarding.', {
    authority: str('Overwrite the authority with this value.'),
    derivePort: { type: 'string', description: 'FROM_PROTOCOL_DEFAULT or FROM_REQUEST_PORT.', enum: ['FROM_PROTOCOL_DEFAULT', 'FROM_REQUEST_PORT'] },
    port: int32('The port in the redirect.'),
    redirectCode: int32('The HTTP status of the redirect (default 301).'),
    scheme: str('The scheme in the redirect.'),
    uri: str('Overwrite the path with this value.'),
  }),
  retries: object('Retry policy.', { attempts: int32('How many retries.'), perTryTimeout: duration('Timeout per attempt.'), retryOn: str('Conditions to retry on, e.g. 5xx,connect-failure.'), retryRemoteLocalities: { type: 'boolean', description: 'Retry other localities.' } }),
  rewrite: object('Rewrite the request before forwarding.', {
    authority: str('Rewrite the Authority/Host header.'),
    uri: str('Rewrite the matched path or prefix.'),
    uriRegexRewrite: object('Rewrite the path with a regex.', { match: str('The RE2 regex.'), rewrite: str('The replacement.') }),
  }),
  route: array(
    'Where to send the traffic, with weights.',
    object('A destination and its share.', { destination, headers, weight: int32('The share of traffic, in percent.') }, ['destination']),
  ),
  timeout: duration('Timeout for HTTP requests.'),
});

const l4Match = object('Conditions for TCP or TLS traffic.', {
  destinationSubnets: strings('Destination IP ranges.'),
  gateways: strings('Gateways the rule applies to.'),
  port: int32('The port being addressed.'),
  sniHosts: strings('SNI values to match (TLS only).'),
  sourceLabels: map('Labels the source workload must have.', { type: 'string' }),
  sourceNamespace: str('The namespace of the source workload.'),
});
const l4Route = array('Where to send the traffic.', object('A destination and its share.', { destination, weight: int32('The share of traffic, in percent.') }, ['destination']));

const STATUS = free('Istio status: conditions and validation messages.');
const root = (description: string, spec: Schema): Schema => ({
  type: 'object',
  description,
  properties: { apiVersion: str('The versioned schema of this object.'), kind: str('The REST resource this object represents.'), metadata: { type: 'object' }, spec, status: STATUS },
});

export const VIRTUAL_SERVICE_SCHEMA = root(
  'Configuration affecting label/content routing, sni routing, etc.',
  object('Routing rules for traffic addressed to its hosts.', {
    exportTo: strings('Namespaces this virtual service is visible in; all when empty.'),
    gateways: strings('Gateways and sidecars that apply these routes; mesh means all sidecars.'),
    hosts: strings('The destination hosts these rules apply to.'),
    http: array('An ordered list of HTTP route rules.', httpRoute),
    tcp: array('An ordered list of TCP route rules.', object('A TCP route.', { match: array('Conditions.', l4Match), route: l4Route })),
    tls: array('An ordered list of TLS route rules.', object('A TLS route.', { match: array('Conditions.', l4Match), route: l4Route }, ['match'])),
  }),
);

export const GATEWAY_SCHEMA = root(
  'Configuration affecting edge load balancer.',
  object('A load balancer at the edge of the mesh and the ports it opens.', {
    selector: map('Labels of the pods that run this gateway.', { type: 'string' }),
    servers: array(
      'The servers of this gateway: ports, protocols and hosts.',
      object(
        'One listener.',
        {
          bind: str('The IP or Unix socket to bind to.'),
          defaultEndpoint: str('Where to forward traffic by default.'),
          hosts: strings('Hosts exposed by this gateway, with an optional namespace/ prefix.'),
          name: str('A name for the server.'),
          port: object(
            'The port the load balancer listens on.',
            { name: str('A label for the port.'), number: { type: 'integer', description: 'A valid non-negative integer port number.' }, protocol: str('HTTP, HTTPS, GRPC, GRPC-WEB, HTTP2, MONGO, TCP or TLS.'), targetPort: int32('Deprecated.') },
            ['number', 'protocol', 'name'],
          ),
          tls: free('TLS settings of the server.'),
        },
        ['port', 'hosts'],
      ),
    ),
  }),
);

export const DESTINATION_RULE_SCHEMA = root(
  'Configuration affecting load balancing, outlier detection, etc.',
  object(
    'Policies applied to traffic for a service after routing.',
    {
      exportTo: strings('Namespaces this rule is visible in; all when empty.'),
      host: str('The service name from the registry the rule applies to.'),
      subsets: array('Named sets of endpoints of the service, for routing and policies.', object('A subset.', { labels: map('Labels selecting the endpoints.', { type: 'string' }), name: str('Its name.'), trafficPolicy: free('Policies for this subset.') }, ['name'])),
      trafficPolicy: free('Load balancing, connection pool and outlier detection policies.'),
      workloadSelector: object('The workloads this rule applies to.', { matchLabels: map('Labels the workloads must have.', { type: 'string' }) }),
    },
    ['host'],
  ),
);

/** The schema of an Istio networking kind, for its CRD. */
export const ISTIO_SCHEMAS: Record<string, Schema> = {
  Gateway: GATEWAY_SCHEMA,
  VirtualService: VIRTUAL_SERVICE_SCHEMA,
  DestinationRule: DESTINATION_RULE_SCHEMA,
};
