/**
 * `${VAR}` substitution of typed step arguments, one entry per kind. Each step substitutes its arguments before
 * anything else, so src/kube and src/net receive plain values and never see variables.
 */
import type { ArgsOf, CurlArgs, GrpcurlArgs, KubeFlags, KubeGetArgs, ManifestSource, StepKind } from '../src/core/model.js';
import { substitute } from '../src/core/vars.js';
import { seldonWithVars } from './seldon/substitute.js';

type Vars = Readonly<Record<string, string>>;

/** What each kind's substitution does to its arguments; a missing kind is a compile error. */
export const withVars: { [K in StepKind]: (args: ArgsOf<K>, vars: Vars) => ArgsOf<K> } = {
  build: (args, vars) => ({ ...args, dir: substitute(args.dir, vars) }),
  apply: (args, vars) => ({ ...kubeFlags(args, vars), source: manifestSource(args.source, vars) }),
  wait: (args, vars) => {
    const s = (t: string) => substitute(t, vars);
    const { source, ...rest } = kubeFlags(args, vars);
    return {
      ...rest,
      resource: s(rest.resource),
      names: rest.names.map(s),
      selector: given(rest.selector, vars),
      ...(source ? { source: manifestSource(source, vars) } : {}),
    };
  },
  delete: (args, vars) => {
    const { target } = args;
    const s = (t: string) => substitute(t, vars);
    return {
      ...kubeFlags(args, vars),
      target:
        target.type === 'manifests'
          ? { type: 'manifests', source: manifestSource(target.source, vars) }
          : { ...target, resource: s(target.resource), names: target.names.map(s), selector: given(target.selector, vars) },
    };
  },
  curl: (args, vars) => curlArgs(args, vars),
  grpcurl: (args, vars) => grpcurlArgs(args, vars),
  // The command itself runs through bash, which expands it with the variables in its environment.
  capture: (args, vars) => (args.get ? { ...args, get: kubeGetArgs(args.get, vars) } : args),
  shell: (args) => args,
  // Python sees the variables as globals and os.environ; IPython expands `!` lines itself.
  python: (args) => args,
  writefile: (args, vars) => ({ ...args, path: substitute(args.path, vars) }),
  env: (args, vars) => ({ ...args, value: substitute(args.value, vars) }),
  seldon: seldonWithVars,
};

/**
 * An optional kubectl argument keeps whether the runbook gave it (`-l "$SEL"` is given even when SEL is empty),
 * as it always has: an empty text means "not given".
 */
function given(text: string | undefined, vars: Vars): string | undefined {
  return text ? substitute(text, vars) : undefined;
}

function kubeFlags<T extends KubeFlags>(flags: T, vars: Vars): T {
  return {
    ...flags,
    namespace: given(flags.namespace, vars),
    context: given(flags.context, vars),
    kubeconfig: given(flags.kubeconfig, vars),
  };
}

/** Paths and folders are substituted; a heredoc's text (`stdin`) is taken as the shell left it. */
function manifestSource(source: ManifestSource, vars: Vars): ManifestSource {
  switch (source.type) {
    case 'files':
      return { ...source, paths: source.paths.map((p) => substitute(p, vars)) };
    case 'kustomize':
    case 'build':
      return { ...source, dir: substitute(source.dir, vars) };
    case 'stdin':
      return source;
  }
}

function kubeGetArgs(args: KubeGetArgs, vars: Vars): KubeGetArgs {
  return {
    ...kubeFlags(args, vars),
    resource: substitute(args.resource, vars),
    name: given(args.name, vars),
    jsonpath: substitute(args.jsonpath, vars),
    selector: given(args.selector, vars),
  };
}

function curlArgs(args: CurlArgs, vars: Vars): CurlArgs {
  const s = (t: string): string => substitute(t, vars);
  const opt = (t: string | undefined): string | undefined => (t === undefined ? undefined : s(t));
  return {
    ...args,
    url: s(args.url),
    method: opt(args.method),
    headers: args.headers.map(s),
    data: args.data.map((d) => ({ ...d, value: s(d.value) })),
    output: opt(args.output),
    writeOut: opt(args.writeOut),
    user: opt(args.user),
    connectTo: args.connectTo.map(s),
    resolve: args.resolve.map(s),
  };
}

function grpcurlArgs(args: GrpcurlArgs, vars: Vars): GrpcurlArgs {
  const s = (t: string): string => substitute(t, vars);
  return {
    ...args,
    data: args.data === undefined ? undefined : s(args.data),
    importPaths: args.importPaths.map(s),
    protos: args.protos.map(s),
    headers: args.headers.map(s),
    address: s(args.address),
    method: s(args.method),
  };
}
