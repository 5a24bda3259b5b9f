/**
 * ANSI styling that collapses to plain text when colour is off, so callers never branch on the decision.
 * Reporters that do not use ink style through this (a handful of SGR codes is not worth a dependency).
 */
export interface Style {
  readonly enabled: boolean;
  bold(text: string): string;
  dim(text: string): string;
  italic(text: string): string;
  underline(text: string): string;
  inverse(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  blue(text: string): string;
  cyan(text: string): string;
  magenta(text: string): string;
  gray(text: string): string;
  /** White on a red background: the failure banner. */
  failBanner(text: string): string;
  /** Black on a green background: the success banner. */
  passBanner(text: string): string;
}

type Name = Exclude<keyof Style, 'enabled'>;

const codes: Record<Name, [number, number]> = {
  bold: [1, 22],
  dim: [2, 22],
  italic: [3, 23],
  underline: [4, 24],
  inverse: [7, 27],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  blue: [34, 39],
  magenta: [35, 39],
  cyan: [36, 39],
  gray: [90, 39],
  failBanner: [41, 49],
  passBanner: [42, 49],
};

const identity = (text: string) => text;

export function createStyle(enabled: boolean): Style {
  const style = { enabled } as { -readonly [K in keyof Style]: Style[K] };
  for (const [name, [open, close]] of Object.entries(codes) as [Name, [number, number]][]) {
    if (!enabled) {
      style[name] = identity;
      continue;
    }
    const extra = name === 'failBanner' ? '\x1b[1;97m' : name === 'passBanner' ? '\x1b[1;30m' : '';
    const reset = extra ? '\x1b[22;39m' : '';
    // Re-open after an inner close of the same code, so nested styles do not end the outer one early.
    const closeSeq = `\x1b[${close}m`;
    style[name] = (text) => `\x1b[${open}m${extra}${text.split(closeSeq).join(closeSeq + `\x1b[${open}m`)}${reset}${closeSeq}`;
  }
  return style;
}
