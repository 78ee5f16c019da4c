// The timing loop of the micro-benchmarks (micro.ts, sdk-floor.ts).
import { median } from './stats.ts';

let sink = 0;

/** ns per call of `fn`: a warm-up loop, then the median of `repeats` timed loops of `iterations` calls. */
export function nsPerCall(fn: () => unknown, iterations: number, repeats: number): number {
  for (let i = 0; i < iterations; i++) if (fn()) sink++;
  const runs: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) if (fn()) sink++;
    runs.push(Number(process.hrtime.bigint() - start) / iterations);
  }
  // Read, so the results of `fn` are never dead code to the optimiser.
  if (sink < 0) console.log(sink);
  return median(runs);
}
