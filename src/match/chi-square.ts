/**
 * `--verify-splits`: do the observed answers of N requests fit the split's weights? Pearson's chi-square test,
 * passing when p > 0.001 (so a correct 50/50 split fails about once in a thousand runs).
 */

export interface ShareReport {
  model: string;
  weight: number;
  expectedShare: number;
  observedShare: number;
  count: number;
}

export interface SplitCheck {
  ok: boolean;
  /** Chi-square statistic; Infinity when a request reached a model with no weight or outside the split. */
  statistic: number;
  degreesOfFreedom: number;
  pValue: number;
  total: number;
  shares: ShareReport[];
  /** Models that answered but are not among the weighted destinations. */
  unexpected: string[];
}

export const SPLIT_ALPHA = 0.001;

/** Tests observed answer counts per model against destination weights. */
export function checkSplit(
  destinations: readonly { model: string; weight: number }[],
  counts: Readonly<Record<string, number>>,
  alpha = SPLIT_ALPHA,
): SplitCheck {
  const weights = new Map<string, number>();
  for (const d of destinations) weights.set(d.model, (weights.get(d.model) ?? 0) + d.weight);
  const totalWeight = [...weights.values()].reduce((a, b) => a + b, 0);
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const unexpected = Object.keys(counts).filter((m) => (counts[m] ?? 0) > 0 && !(weights.get(m)! > 0));
  const shares: ShareReport[] = [...weights].map(([model, weight]) => ({
    model,
    weight,
    expectedShare: totalWeight > 0 ? weight / totalWeight : 0,
    observedShare: total > 0 ? (counts[model] ?? 0) / total : 0,
    count: counts[model] ?? 0,
  }));
  const live = shares.filter((s) => s.expectedShare > 0);
  const degreesOfFreedom = Math.max(live.length - 1, 0);
  if (unexpected.length > 0 || totalWeight <= 0) {
    return { ok: false, statistic: Infinity, degreesOfFreedom, pValue: 0, total, shares, unexpected };
  }
  let statistic = 0;
  for (const s of live) {
    const e = s.expectedShare * total;
    statistic += (s.count - e) ** 2 / e;
  }
  const pValue = degreesOfFreedom === 0 ? 1 : chiSquareSurvival(statistic, degreesOfFreedom);
  return { ok: pValue > alpha, statistic, degreesOfFreedom, pValue, total, shares, unexpected };
}

/** P(X ≥ x) for X ~ chi-square with k degrees of freedom: the regularised upper incomplete gamma Q(k/2, x/2). */
export function chiSquareSurvival(x: number, k: number): number {
  if (x <= 0) return 1;
  return upperGamma(k / 2, x / 2);
}

function upperGamma(a: number, x: number): number {
  if (x < a + 1) return 1 - lowerSeries(a, x);
  return upperFraction(a, x);
}

// Series for P(a, x), converging fast when x < a + 1.
function lowerSeries(a: number, x: number): number {
  let term = 1 / a;
  let sum = term;
  for (let n = 1; n < 500; n++) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * 1e-15) break;
  }
  return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
}

// Lentz's continued fraction for Q(a, x), converging fast when x ≥ a + 1.
function upperFraction(a: number, x: number): number {
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 500; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
}

// Lanczos approximation (g = 7, n = 9).
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

function logGamma(z: number): number {
  if (z < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * z)) - logGamma(1 - z);
  const x = z - 1;
  let sum = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i]! / (x + i);
  const t = x + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(sum);
}
