/**
 * The policy kinds (core/v1 ResourceQuota, LimitRange) and the endpoint kinds (core/v1 Endpoints,
 * discovery.k8s.io/v1 EndpointSlice), typed as the API reference lists them: explain, the OpenAPI documents,
 * validation and server-side apply read them. Lists are atomic, as their Go types declare, but for a slice
 * endpoint's addresses (a set).
 */
import type { Schema } from '../store/schema.js';
import { CORE, QUANTITY, bool, int32, list, listOf, oneOf, open, ref, refTo, str, stringMap, strings, struct } from './dsl.js';
import { kind } from './core-v1.js';

export const DISCOVERY = 'io.k8s.api.discovery.v1.';

const quantities = (description: string): Schema => ({ type: 'object', description, additionalProperties: refTo(QUANTITY) });
const PROTOCOL = oneOf('The IP protocol: TCP, UDP or SCTP. Defaults to TCP.', ['SCTP', 'TCP', 'UDP']);
const TARGET_REF = open('The object behind this endpoint, usually a Pod.');

export const POLICY_ENDPOINT_DEFINITIONS: Record<string, Schema> = {
  [`${CORE}ResourceQuota`]: kind('Aggregate quota restrictions enforced per namespace.', {
    spec: ref(`${CORE}ResourceQuotaSpec`, 'The desired quota.', true),
    status: ref(`${CORE}ResourceQuotaStatus`, 'The actual enforced quota and its current usage.', true),
  }),
  [`${CORE}ResourceQuotaSpec`]: struct('The hard limits to enforce for a quota.', {
    hard: quantities('The hard limit for each named resource.'),
    scopeSelector: open('A collection of filters, ANDed with scopes, that matches objects tracked by the quota.'),
    scopes: strings('Filters that must match each object tracked by the quota.'),
  }),
  [`${CORE}ResourceQuotaStatus`]: struct('The enforced hard limits and the observed use.', {
    hard: quantities('The enforced hard limit for each named resource.'),
    used: quantities('The current observed total usage of the resource in the namespace.'),
  }),
  [`${CORE}LimitRange`]: kind('Resource limits per kind of object in a namespace.', {
    spec: ref(`${CORE}LimitRangeSpec`, 'The limits enforced.', true),
  }),
  [`${CORE}LimitRangeSpec`]: struct('The limits enforced for kinds of object.', { limits: listOf(`${CORE}LimitRangeItem`, 'The limits enforced.') }, ['limits']),
  [`${CORE}LimitRangeItem`]: struct(
    'The min and max usage, defaults and ratio for one kind of object.',
    {
      default: quantities('The default resource limits of a container when it sets none.'),
      defaultRequest: quantities('The default resource requests of a container when it sets none.'),
      max: quantities('The maximum usage on this kind by resource name.'),
      maxLimitRequestRatio: quantities('The largest allowed limit over request ratio by resource name.'),
      min: quantities('The minimum usage on this kind by resource name.'),
      type: str('The kind of object the limits apply to (Pod, Container, PersistentVolumeClaim).'),
    },
    ['type'],
  ),
  [`${CORE}Endpoints`]: kind('The endpoints that implement a service, in subsets sharing ports.', {
    subsets: listOf(`${CORE}EndpointSubset`, 'The union of all subsets is the set of endpoints.'),
  }),
  [`${CORE}EndpointSubset`]: struct('Addresses with a common set of ports.', {
    addresses: listOf(`${CORE}EndpointAddress`, 'Addresses ready to serve traffic on the ports.'),
    notReadyAddresses: listOf(`${CORE}EndpointAddress`, 'Addresses not yet ready (or no longer ready) to serve traffic.'),
    ports: listOf(`${CORE}EndpointPort`, 'The port numbers available on the addresses.'),
  }),
  [`${CORE}EndpointAddress`]: struct(
    'A single IP address of an endpoint.',
    { hostname: str('The hostname of this endpoint.'), ip: str('The IP of this endpoint.'), nodeName: str('The node hosting this endpoint.'), targetRef: TARGET_REF },
    ['ip'],
  ),
  [`${CORE}EndpointPort`]: struct(
    'A port used by an endpoint.',
    { appProtocol: str('The application protocol for this port.'), name: str('The name of this port; must match the ServicePort name.'), port: int32('The port number.'), protocol: PROTOCOL },
    ['port'],
  ),
  [`${DISCOVERY}EndpointSlice`]: kind('A subset of the endpoints that implement a service, kept by the EndpointSlice controller.', {
    addressType: oneOf('The type of address this slice carries: IPv4, IPv6 or FQDN; immutable.', ['FQDN', 'IPv4', 'IPv6']),
    endpoints: listOf(`${DISCOVERY}Endpoint`, 'The unique endpoints in this slice (at most 1000).'),
    ports: listOf(`${DISCOVERY}EndpointPort`, 'The network ports each endpoint exposes; empty means no ports are exposed.'),
  }),
  [`${DISCOVERY}Endpoint`]: struct(
    'One endpoint of a slice.',
    {
      addresses: list('The addresses of this endpoint (one for the IP address types).', { type: 'string', default: '' }, { type: 'set' }),
      conditions: ref(`${DISCOVERY}EndpointConditions`, 'The current state of the endpoint.', true),
      deprecatedTopology: stringMap('Deprecated: topology labels of the endpoint.'),
      hints: open('Information about how the endpoint should be consumed.'),
      hostname: str('The hostname of this endpoint.'),
      nodeName: str('The node hosting this endpoint.'),
      targetRef: TARGET_REF,
      zone: str('The zone this endpoint exists in.'),
    },
    ['addresses'],
  ),
  [`${DISCOVERY}EndpointConditions`]: struct('The current condition of an endpoint.', {
    ready: bool('Whether the endpoint is ready to receive traffic.'),
    serving: bool('Whether the endpoint can serve traffic, even while terminating.'),
    terminating: bool('Whether the endpoint is terminating.'),
  }),
  [`${DISCOVERY}EndpointPort`]: struct('A port used by the endpoints of a slice.', {
    appProtocol: str('The application protocol for this port.'),
    name: str('The name of this port; must match the Service port name, or be empty.'),
    port: int32('The port number, or unset for all ports.'),
    protocol: PROTOCOL,
  }),
};
