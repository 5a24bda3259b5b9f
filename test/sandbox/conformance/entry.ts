/**
 * One row of the conformance table: a kubectl invocation as users of Seldon Core 2 and Istio docs type it, what
 * it needs first, and what a real 1.32 API server makes kubectl print, with the rule that says so.
 */

/** A kubectl invocation. `{ns}` in any text stands for the entry's own namespace, `{dir}` for its scratch dir. */
export interface Invocation {
  args: string[];
  stdin?: string;
}

/** Something to do while the checked invocation runs (a change a watch or a wait must see). */
export interface During {
  /**
   * Start when the invocation first prints (a watch's first page), when its stderr shows this text (a `-v=6`
   * request log: the request has been answered), or after this many ms.
   */
  after: 'first-output' | { stderr: string } | number;
  run: Invocation[];
  /** Press Ctrl-C (SIGINT) once stdout holds this many lines: how a user ends a watch. */
  interruptAfterLines?: number;
}

/**
 * What an entry needs before its invocation. Objects are created and conditions awaited straight through the API
 * (kubectl's start costs more than the request); kubectl runs only where the step is itself a kubectl behaviour.
 */
export type Setup =
  | Invocation
  /** YAML documents, each POSTed to its collection. */
  | { create: string }
  /** Polls `GET path` until `test` holds for the answer's body. */
  | { until: { path: string; test: (body: any) => boolean } }; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface Entry extends Invocation {
  /** Unique; kebab-case, so that `cf-<name>` is the entry's namespace. */
  name: string;
  /** Done before the invocation, in order; each kubectl step must exit 0. */
  setup?: Setup[];
  /** Written into the entry's scratch dir before setup (a kustomization, an EDITOR script). */
  files?: Record<string, string>;
  env?: Record<string, string>;
  during?: During;
  /**
   * `read-only` entries run first, on the seeded cluster alone, so that `-A` and cluster-scoped lists see no
   * other entry's objects; `last` entries may break the cluster for others (deleting `default` on a server
   * that does not forbid it), so they run after everyone else.
   */
  phase?: 'read-only' | 'last';
  /** Expected stdout and stderr with placeholders (expected-text.ts); empty when not given. */
  stdout?: string;
  stderr?: string;
  code: number;
  /** The printer, convention or kubectl rule the expectation is written from. */
  rule: string;
  /** Set while another engineer fixes this in the sandbox: `<issue 15 item> (<owner>)`. The entry must fail until then. */
  pending?: string;
}
