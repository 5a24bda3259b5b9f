/**
 * The shapes the matchers exchange with the runner: what a run knows (splits), and a verdict with its diff.
 * Plain data, so a report can carry them as JSON.
 */

/** One weighted destination of a VirtualService route, and the model its `seldon-model` header selects. */
export interface SplitDestination {
  host: string;
  /** The `seldon-model` request header this destination sets; absent when it sets none. */
  model?: string;
  /** Relative weight as written (Istio's default is 100 for a lone destination, 0 otherwise). */
  weight: number;
}

/** A VirtualService http rule whose traffic goes to more than one model. */
export interface SplitInfo {
  namespace?: string;
  /** The VirtualService's name. */
  virtualService: string;
  /** The http rule's `name`, when it has one. */
  route?: string;
  /** The rule's `uri` matches; empty means every path. */
  uris: { type: 'exact' | 'prefix' | 'regex'; value: string }[];
  destinations: SplitDestination[];
}

/** What the run knows when a step is compared. Updated by the runner after each apply. */
export interface MatchContext {
  /** Weighted model splits of the VirtualServices applied so far (later manifests replace earlier ones). */
  splits: SplitInfo[];
  /**
   * The candidates of each Seldon Experiment loaded or applied so far (later manifests of a name replace earlier
   * ones): a `seldon … infer -i N` answered by any of them is answered by the experiment.
   */
  experiments?: string[][];
}

/** One difference in a structured comparison; `expected` and `actual` are display forms (JSON or `(missing)`). */
export interface PathEntry {
  path: string;
  expected: string;
  actual: string;
}

/** A hunk as the `diff` package's structuredPatch makes it. */
export interface TextHunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  lines: string[];
}

export type Diff =
  | { type: 'paths'; entries: PathEntry[] }
  | { type: 'text'; unified: string; hunks: TextHunk[] }
  | { type: 'lines'; missing: string[]; extra: string[] };

export interface MatchResult {
  ok: boolean;
  /** Present when `ok` is false. */
  diff?: Diff;
  /** Both sides after normalisation, the forms the diff speaks of. */
  expectedNormalised: string;
  actualNormalised: string;
  /**
   * When `ok` is false: the 0-based index, among the recorded output's lines, of the first recorded line that
   * differs (or where the missing output would go), so reports can point at file:line of that line.
   */
  firstDifferingLine?: number;
}
