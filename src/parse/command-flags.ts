/**
 * Reading a tool's flags the way the tool itself does. Three conventions cover the tools runbooks type:
 * - `pflag` (kubectl): `--name=v`, `--name v`, `-n v`, `-nv`, `-n=v`, clustered booleans, flags anywhere, `--` ends flags.
 * - `curl`: `--name v` (no `=` form), `-Xv`, `-sSL`, clustered short flags, flags anywhere.
 * - `go` (grpcurl, Go's `flag` package): `-name v`, `--name v`, `-name=v`; booleans only as `-name` or `-name=false`;
 *   the first argument that is not a flag ends the flags.
 * An unknown flag or a malformed one throws `Fallback`, so the command runs in the shell instead.
 */
import { Fallback } from './command-words.js';

export type FlagStyle = 'pflag' | 'curl' | 'go';

export interface FlagDef {
  /** Key the values are stored under. */
  key: string;
  /** Long names without dashes (for `go`, every name). */
  names: readonly string[];
  /** One-letter short form (`pflag`, `curl`). */
  short?: string;
  /**
   * `bool`: no value (`true` when present); `value`: takes one; `attached`: a value only as `--name=v`
   * (pflag's optional-value flags such as kubectl's `--dry-run`).
   */
  takes: 'bool' | 'value' | 'attached';
}

export interface Scanned {
  /** Every occurrence of each flag, in order (booleans as `true`/`false`). */
  values: Map<string, string[]>;
  /** Every flag occurrence in command-line order, for flags whose relative order matters. */
  sequence: { key: string; value: string }[];
  positionals: string[];
}

/** Go's strconv.ParseBool, which both pflag and Go's flag package use. */
function parseBool(text: string, flag: string): string {
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(text)) return 'true';
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(text)) return 'false';
  throw new Fallback(`${flag} has the value '${text}', which is not a boolean`);
}

class Scanner {
  readonly values = new Map<string, string[]>();
  readonly sequence: { key: string; value: string }[] = [];
  readonly positionals: string[] = [];
  private i = 0;

  constructor(
    private readonly words: readonly string[],
    private readonly defs: readonly FlagDef[],
    private readonly tool: string,
  ) {}

  run(style: FlagStyle): Scanned {
    for (; this.i < this.words.length; this.i++) {
      const w = this.words[this.i]!;
      if (style === 'pflag' && w === '--') {
        this.positionals.push(...this.words.slice(this.i + 1));
        break;
      }
      if (style === 'go' && (w === '--' || !w.startsWith('-') || w === '-')) {
        this.positionals.push(...this.words.slice(w === '--' ? this.i + 1 : this.i));
        break;
      }
      if (style === 'go') this.goFlag(w);
      else if (w.startsWith('--')) this.longFlag(w, style === 'pflag');
      else if (w.startsWith('-') && w.length > 1) this.shortCluster(w, style === 'pflag');
      else this.positionals.push(w);
    }
    return { values: this.values, sequence: this.sequence, positionals: this.positionals };
  }

  private push(def: FlagDef, value: string): void {
    const list = this.values.get(def.key) ?? [];
    list.push(value);
    this.values.set(def.key, list);
    this.sequence.push({ key: def.key, value });
  }

  private unknown(flag: string): never {
    throw new Fallback(`${this.tool} flag ${flag} is not one the typed step understands`);
  }

  private nextValue(flag: string): string {
    const v = this.words[this.i + 1];
    if (v === undefined) throw new Fallback(`${this.tool} flag ${flag} needs a value`);
    this.i++;
    return v;
  }

  private longFlag(w: string, allowEquals: boolean): void {
    const eq = allowEquals ? w.indexOf('=') : -1;
    const name = eq < 0 ? w.slice(2) : w.slice(2, eq);
    const attached = eq < 0 ? undefined : w.slice(eq + 1);
    const def = this.defs.find((d) => d.names.includes(name)) ?? this.unknown(`--${name}`);
    this.take(def, `--${name}`, attached);
  }

  private goFlag(w: string): void {
    const body = w.slice(w.startsWith('--') ? 2 : 1);
    if (body.startsWith('-') || body.startsWith('=')) throw new Fallback(`${this.tool} flag ${w} is malformed`);
    const eq = body.indexOf('=');
    const name = eq < 0 ? body : body.slice(0, eq);
    const def = this.defs.find((d) => d.names.includes(name)) ?? this.unknown(`-${name}`);
    this.take(def, `-${name}`, eq < 0 ? undefined : body.slice(eq + 1));
  }

  private take(def: FlagDef, flag: string, attached: string | undefined): void {
    if (def.takes === 'bool') this.push(def, attached === undefined ? 'true' : parseBool(attached, flag));
    else if (attached !== undefined) this.push(def, attached);
    else if (def.takes === 'attached') throw new Fallback(`${this.tool} flag ${flag} needs its value written as ${flag}=VALUE`);
    else this.push(def, this.nextValue(flag));
  }

  private shortCluster(w: string, pflag: boolean): void {
    const cluster = w.slice(1);
    for (let j = 0; j < cluster.length; j++) {
      const ch = cluster[j]!;
      const def = this.defs.find((d) => d.short === ch) ?? this.unknown(`-${ch}`);
      let rest = cluster.slice(j + 1);
      // pflag reads `-n=v` as `-n v`; curl has no such form.
      const equals = pflag && rest.startsWith('=');
      if (equals) rest = rest.slice(1);
      if (def.takes === 'bool') {
        if (equals) {
          this.push(def, parseBool(rest, `-${ch}`));
          return;
        }
        this.push(def, 'true');
        continue;
      }
      this.push(def, rest !== '' || equals ? rest : this.nextValue(`-${ch}`));
      return;
    }
  }
}

/** Reads `words` (the arguments after the tool and subcommand) against `defs`. Throws `Fallback` on unknown flags. */
export function scanFlags(words: readonly string[], defs: readonly FlagDef[], style: FlagStyle, tool: string): Scanned {
  return new Scanner(words, defs, tool).run(style);
}

/** The last occurrence of a single-valued flag: every tool here lets a later one win. */
export function lastValue(s: Scanned, key: string): string | undefined {
  return s.values.get(key)?.at(-1);
}

export function allValues(s: Scanned, key: string): string[] {
  return s.values.get(key) ?? [];
}

export function boolValue(s: Scanned, key: string): boolean {
  return lastValue(s, key) === 'true';
}
