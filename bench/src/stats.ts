// Pure statistics over benchmark samples: medians, overheads and the ratios
// issue 8 sets goals on. No I/O here, so test/stats.test.ts can check it.

/** What one worker measured for one workload in one process. */
export interface Sample {
  /** client CPU time (user + system) per message, µs */
  cpuUsPerMsg: number;
  /** messages per second, wall clock */
  msgsPerSec: number;
  /** heap used right after the run, bytes */
  heapUsed: number;
  /** heap used after a forced GC, bytes */
  heapAfterGc: number;
  /** bytes V8 allocated on the JS heap per message during the run (from its GC heap statistics); absent in older reports */
  bytesPerMsg?: number;
}

/** The two SDK set-ups each cell is measured under. */
export type BenchConfig = 'tracing' | 'metrics';
export const CONFIG_TITLES: Record<BenchConfig, string> = {
  tracing: 'tracing alone (no MeterProvider)',
  metrics: 'with metrics',
};

export type Variant = 'uninstrumented' | 'upstream' | 'ours';
export const VARIANTS: readonly Variant[] = ['uninstrumented', 'upstream', 'ours'];

/** The median of `values` (mean of the middle two for an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  const finite = values.filter((value) => Number.isFinite(value));
  if (finite.length === 0) return Number.NaN;
  const sorted = [...finite].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Medians of every figure of a set of samples. */
export function medianSample(samples: readonly Sample[]): Sample {
  const sample: Sample = {
    cpuUsPerMsg: median(samples.map((s) => s.cpuUsPerMsg)),
    msgsPerSec: median(samples.map((s) => s.msgsPerSec)),
    heapUsed: median(samples.map((s) => s.heapUsed)),
    heapAfterGc: median(samples.map((s) => s.heapAfterGc)),
  };
  const allocated = samples.flatMap((s) => (s.bytesPerMsg === undefined ? [] : [s.bytesPerMsg]));
  if (allocated.length > 0) sample.bytesPerMsg = median(allocated);
  return sample;
}

/**
 * Median over rounds of the paired difference `instrumented − uninstrumented`
 * (rounds run back to back, so pairing cancels the drift between rounds).
 * Rounds missing either side are skipped.
 */
export function pairedOverhead(
  instrumented: readonly (number | undefined)[],
  baseline: readonly (number | undefined)[],
): number {
  const differences: number[] = [];
  for (let i = 0; i < Math.min(instrumented.length, baseline.length); i++) {
    const a = instrumented[i];
    const b = baseline[i];
    if (a !== undefined && b !== undefined) differences.push(a - b);
  }
  return median(differences);
}

/**
 * ours ÷ upstream overhead. Overheads are noisy differences, so a non-positive
 * upstream overhead gives NaN (no meaningful ratio) rather than a sign flip.
 */
export function overheadRatio(oursOverhead: number, upstreamOverhead: number): number {
  if (!Number.isFinite(oursOverhead) || !Number.isFinite(upstreamOverhead) || upstreamOverhead <= 0) return Number.NaN;
  return Math.max(0, oursOverhead) / upstreamOverhead;
}

/** The summary row of one (system, workload, sampling) cell. */
export interface CellSummary {
  system: string;
  workload: string;
  sampling: string;
  /** absent in reports from before both set-ups were measured: those had metrics on */
  config?: BenchConfig;
  rounds: number;
  median: Record<Variant, Sample>;
  /** paired-median CPU overhead per message over uninstrumented, µs */
  overheadUs: { upstream: number; ours: number };
  /** ours overhead ÷ upstream overhead */
  overheadRatio: number;
  /** ours msgs/s ÷ uninstrumented msgs/s (paired median) */
  throughputRatio: number;
  /** upstream msgs/s ÷ uninstrumented msgs/s (paired median) */
  upstreamThroughputRatio: number;
}

/** Per-round samples of one cell: `rounds[i][variant]`, a variant missing when its process failed. */
export type RoundSamples = Array<Partial<Record<Variant, Sample>>>;

function pairedRatio(rounds: RoundSamples, variant: Variant): number {
  const ratios: number[] = [];
  for (const round of rounds) {
    const a = round[variant];
    const b = round.uninstrumented;
    if (a && b && b.msgsPerSec > 0) ratios.push(a.msgsPerSec / b.msgsPerSec);
  }
  return median(ratios);
}

export function summarizeCell(
  system: string,
  workload: string,
  sampling: string,
  rounds: RoundSamples,
  config: BenchConfig = 'metrics',
): CellSummary {
  const column = (variant: Variant): Sample[] =>
    rounds.map((round) => round[variant]).filter((sample): sample is Sample => sample !== undefined);
  const cpu = (variant: Variant): (number | undefined)[] => rounds.map((round) => round[variant]?.cpuUsPerMsg);
  const upstream = pairedOverhead(cpu('upstream'), cpu('uninstrumented'));
  const ours = pairedOverhead(cpu('ours'), cpu('uninstrumented'));
  return {
    system,
    workload,
    sampling,
    config,
    rounds: rounds.length,
    median: {
      uninstrumented: medianSample(column('uninstrumented')),
      upstream: medianSample(column('upstream')),
      ours: medianSample(column('ours')),
    },
    overheadUs: { upstream, ours },
    overheadRatio: overheadRatio(ours, upstream),
    throughputRatio: pairedRatio(rounds, 'ours'),
    upstreamThroughputRatio: pairedRatio(rounds, 'upstream'),
  };
}

/**
 * Least-squares slope of heap-after-GC against messages processed, bytes per
 * message: a leak shows as a slope that does not shrink as N grows.
 */
export function slope(points: readonly { x: number; y: number }[]): number {
  if (points.length < 2) return Number.NaN;
  const n = points.length;
  const meanX = points.reduce((sum, p) => sum + p.x, 0) / n;
  const meanY = points.reduce((sum, p) => sum + p.y, 0) / n;
  let numerator = 0;
  let denominator = 0;
  for (const p of points) {
    numerator += (p.x - meanX) * (p.y - meanY);
    denominator += (p.x - meanX) ** 2;
  }
  return denominator === 0 ? Number.NaN : numerator / denominator;
}

/**
 * Steady-state heap growth per message of a soak: the slope over the second
 * half of the readings. V8 shrinks the heap in steps during the first chunks
 * (after warm-up, young code and buffers are dropped), which a fit over all
 * readings would report as growth or shrinkage that has nothing to do with
 * messages; a leak keeps growing in the second half.
 */
export function steadySlope(points: readonly { x: number; y: number }[]): number {
  const half = points.slice(Math.floor(points.length / 2));
  return slope(half.length >= 3 ? half : points.slice(-3));
}

/** Goals of issue 8, per sampling mode: the largest acceptable overhead ratio. */
export const OVERHEAD_RATIO_GOAL: Record<string, number> = { 'always-on': 0.5, 'parent-10%': 0.2 };
/** Sampling must save work: ours at parent-based 10% ≤ this × ours always-on, tracing alone. */
export const SAMPLING_SAVING_GOAL = 0.3;
/** Kafka batch rows (one send span per batch in ours): ours ≤ this × upstream. */
export const KAFKA_BATCH_RATIO_GOAL = 0.3;

/** The cell's config, for reports from before it was recorded. */
export function configOf(cell: Pick<CellSummary, 'config'>): BenchConfig {
  return cell.config ?? 'metrics';
}
export const THROUGHPUT_RATIO_GOAL = 0.9;
