/**
 * Where the seldon step's three endpoints are, looked up in the order that lets a runbook written for the real CLI
 * run unchanged against the sandbox and a real cluster: the command's flag, the runbook's variables (which include
 * the environment), the kubeconfig's `runbook.dev/seldon` extension, the cluster's `seldon-scheduler` and
 * `seldon-mesh` LoadBalancer Services, then the CLI's own defaults. Each answer says where it came from, for the one
 * line an unreachable endpoint prints.
 */
import { asSeldonExtension, SELDON_EXTENSION, type SeldonExtension } from '../../src/core/kubeconfig-extension.js';
import type { SeldonArgs } from '../../src/core/model.js';
import type { StepContext } from '../../src/core/step.js';
import { kubectlGetJsonPath } from '../../src/kube/get.js';
import { loadKubeconfigDoc } from '../../src/kube/kubeconfig-files.js';
import { clusterExtension } from '../../src/kube/kubeconfig-connect-to.js';
import { mapTarget } from '../../src/net/connect-to.js';
import { resolveHost } from '../../src/net/resolve-host.js';

export type Endpoint = 'scheduler' | 'inference' | 'kafka';

/** An endpoint as the runbook names it, where that came from, and where sockets really go. */
export interface Address {
  /** `HOST:PORT` as written (messages and the Host header use it). */
  address: string;
  source: string;
  /** The socket address after the connect-to mapping and name resolution. */
  ip: string;
  port: number;
}

const FLAGS: Record<Endpoint, string> = { scheduler: '--scheduler-host', inference: '--inference-host', kafka: '--kafka-broker' };
const ENV: Record<Endpoint, string> = { scheduler: 'SELDON_SCHEDULE_HOST', inference: 'SELDON_INFER_HOST', kafka: 'SELDON_KAFKA_BROKER' };
const DEFAULTS: Record<Endpoint, string> = { scheduler: '0.0.0.0:9004', inference: '0.0.0.0:9000', kafka: '0.0.0.0:9092' };
/** The Service a cluster answers on, and the port the CLI would dial on its LoadBalancer address. */
const SERVICES: Partial<Record<Endpoint, { name: string; port: number }>> = {
  scheduler: { name: 'seldon-scheduler', port: 9004 },
  inference: { name: 'seldon-mesh', port: 80 },
};

/** The `runbook.dev/seldon` extension of the current context's cluster in the kubeconfig the step's shell would use. */
export function kubeconfigExtension(ctx: StepContext): SeldonExtension | undefined {
  try {
    const doc = loadKubeconfigDoc({ env: { ...process.env, ...ctx.vars } });
    return doc && asSeldonExtension(clusterExtension(doc, SELDON_EXTENSION));
  } catch {
    return undefined;
  }
}

/** The LoadBalancer address of a Seldon Service, in the context's namespace or in `seldon-mesh`. */
async function serviceAddress(ctx: StepContext, service: { name: string; port: number }): Promise<string | undefined> {
  for (const namespace of [undefined, 'seldon-mesh']) {
    const got = await kubectlGetJsonPath(
      { resource: 'service', name: service.name, jsonpath: '{.status.loadBalancer.ingress[0].ip}', ...(namespace ? { namespace } : {}) },
      ctx,
    ).catch(() => undefined);
    if (got?.exitCode === 0 && got.stdout.trim() !== '') return `${got.stdout.trim()}:${service.port}`;
  }
  return undefined;
}

/** The first answer in the lookup order, before mapping. */
async function written(endpoint: Endpoint, args: SeldonArgs, ctx: StepContext): Promise<{ address: string; source: string }> {
  const flag = args.hosts[endpoint];
  if (flag) return { address: flag, source: `the ${FLAGS[endpoint]} flag` };
  const variable = ctx.vars[ENV[endpoint]];
  if (variable) return { address: variable, source: `$${ENV[endpoint]}` };
  const extension = kubeconfigExtension(ctx);
  const fromExtension = endpoint === 'scheduler' ? extension?.schedulerHost : endpoint === 'inference' ? extension?.inferenceHost : extension?.kafkaBroker;
  if (fromExtension) return { address: fromExtension, source: `the kubeconfig's ${SELDON_EXTENSION} extension` };
  const service = SERVICES[endpoint];
  const fromService = service && vars(ctx) ? await serviceAddress(ctx, service) : undefined;
  if (service && fromService) return { address: fromService, source: `the ${service.name} Service` };
  return { address: DEFAULTS[endpoint], source: `the seldon CLI's default (set ${ENV[endpoint]} or ${FLAGS[endpoint]})` };
}

/** Whether a cluster can be asked at all (a kubeconfig is in reach). */
function vars(ctx: StepContext): boolean {
  try {
    return loadKubeconfigDoc({ env: { ...process.env, ...ctx.vars } }) !== undefined;
  } catch {
    return false;
  }
}

/** Splits `HOST:PORT` (`[v6]:PORT` too); a missing port is the endpoint's default port. */
function split(address: string, endpoint: Endpoint): { host: string; port: number } {
  const m = /^\[?([^\]]*?)\]?:(\d+)$/.exec(address);
  if (m) return { host: m[1] ?? '', port: Number(m[2]) };
  return { host: address, port: Number(DEFAULTS[endpoint].split(':')[1]) };
}

/** Resolves one endpoint (cached per run: every step of a runbook asks the same question). */
export async function resolveAddress(endpoint: Endpoint, args: SeldonArgs, ctx: StepContext): Promise<Address> {
  const key = `seldon:address:${endpoint}:${args.hosts[endpoint] ?? ''}:${ctx.vars[ENV[endpoint]] ?? ''}:${ctx.vars.KUBECONFIG ?? ''}`;
  const cached = ctx.cache.get(key) as Address | undefined;
  if (cached) return cached;
  const { address, source } = await written(endpoint, args, ctx);
  const logical = split(address, endpoint);
  const mapped = mapTarget(logical.host, logical.port, ctx.connectTo);
  const ip = (await resolveHost(mapped.host)) ?? mapped.host;
  const found = { address, source, ip, port: mapped.port };
  ctx.cache.set(key, found);
  return found;
}
