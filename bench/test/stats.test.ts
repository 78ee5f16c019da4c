// Self-check of the statistics the benchmark reports; fast, no brokers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { median, medianSample, overheadRatio, pairedOverhead, slope, summarizeCell } from '../src/stats.ts';
import type { Sample } from '../src/stats.ts';

const sample = (cpuUsPerMsg: number, msgsPerSec: number, heap = 1): Sample => ({
  cpuUsPerMsg,
  msgsPerSec,
  heapUsed: heap,
  heapAfterGc: heap,
});

describe('median', () => {
  it('takes the middle value, or the mean of the middle two', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(median([7]), 7);
  });

  it('ignores non-finite values and is NaN when nothing is left', () => {
    assert.equal(median([1, Number.NaN, 3]), 2);
    assert.ok(Number.isNaN(median([])));
  });

  it('does not reorder its input', () => {
    const values = [3, 1, 2];
    median(values);
    assert.deepEqual(values, [3, 1, 2]);
  });
});

describe('overheads and ratios', () => {
  it('pairs rounds before taking the median difference', () => {
    // Round 2 ran on a slower machine: pairing cancels it.
    assert.equal(pairedOverhead([12, 22, 13], [10, 20, 10]), 2);
    assert.equal(pairedOverhead([12, undefined, 13], [10, 20, 10]), 2.5);
  });

  it('divides our overhead by upstream, clamping ours at zero', () => {
    assert.equal(overheadRatio(2, 8), 0.25);
    assert.equal(overheadRatio(-1, 8), 0);
  });

  it('gives no ratio when upstream has no overhead', () => {
    assert.ok(Number.isNaN(overheadRatio(2, 0)));
    assert.ok(Number.isNaN(overheadRatio(2, -1)));
    assert.ok(Number.isNaN(overheadRatio(Number.NaN, 3)));
  });

  it('summarises a cell from per-round samples', () => {
    const cell = summarizeCell('kafkajs', 'produce', 'always-on', [
      { uninstrumented: sample(10, 1000), upstream: sample(20, 500), ours: sample(12, 950) },
      { uninstrumented: sample(11, 900), upstream: sample(21, 450), ours: sample(14, 810) },
      { uninstrumented: sample(10, 1000), upstream: sample(22, 500) },
    ]);
    assert.deepEqual(cell.overheadUs, { upstream: 10, ours: 2.5 });
    assert.equal(cell.overheadRatio, 0.25);
    assert.equal(cell.throughputRatio, (0.95 + 0.9) / 2);
    assert.equal(cell.upstreamThroughputRatio, 0.5);
    assert.equal(cell.median.ours.cpuUsPerMsg, 13);
    assert.equal(cell.rounds, 3);
  });

  it('takes the median of each figure separately', () => {
    assert.deepEqual(medianSample([sample(1, 30, 5), sample(3, 10, 6), sample(2, 20, 4)]), sample(2, 20, 5));
  });
});

describe('slope', () => {
  it('fits heap growth per message', () => {
    assert.equal(
      slope([
        { x: 0, y: 100 },
        { x: 10, y: 120 },
        { x: 20, y: 140 },
      ]),
      2,
    );
    assert.equal(
      slope([
        { x: 0, y: 5 },
        { x: 100, y: 5 },
      ]),
      0,
    );
    assert.ok(Number.isNaN(slope([{ x: 1, y: 1 }])));
  });
});
