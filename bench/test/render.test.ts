// Self-check of the BENCHMARKS.md tables and the SVG chart; fast, no brokers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateGoals, judgedCells, renderBenchmarksMarkdown, samplingSavings } from '../src/document.ts';
import { codeArea, summarizeProfile } from '../src/profile.ts';
import { fmt, renderRatioSvg, renderResultsTable, summarizeSoak } from '../src/render.ts';
import type { BenchReport } from '../src/render.ts';
import { summarizeCell } from '../src/stats.ts';

const s = (cpuUsPerMsg: number, msgsPerSec: number, bytesPerMsg = 640) => ({
  cpuUsPerMsg,
  msgsPerSec,
  heapUsed: 2_097_152,
  heapAfterGc: 1_048_576,
  bytesPerMsg,
});
const good = summarizeCell('kafkajs', 'produce batch 100', 'always-on', [
  { uninstrumented: s(5, 1000), upstream: s(11, 500), ours: s(7, 950) },
]);
const bad = summarizeCell('kafkajs', 'produce batch 100', 'parent-10%', [
  { uninstrumented: s(5, 1000), upstream: s(10, 500), ours: s(9, 800) },
]);
const report: BenchReport = {
  date: '2026-01-01T00:00:00.000Z',
  quick: false,
  rounds: 1,
  durationSeconds: 1,
  machine: { cpus: 2, cpuModel: 'test cpu', node: 'v24.0.0', loadAverage: [1, 1, 1, 2, 2, 2], sqsEmulator: 'fauxqs' },
  versions: { kafkajs: '2.2.4' },
  cells: [good, bad],
  soak: [
    summarizeSoak('kafkajs', 'uninstrumented', 'w', [
      { x: 0, y: 9000 },
      { x: 1000, y: 1000 },
      { x: 2000, y: 1000 },
      { x: 3000, y: 1100 },
    ]),
    summarizeSoak('kafkajs', 'ours', 'w', [
      { x: 0, y: 9000 },
      { x: 1000, y: 1000 },
      { x: 2000, y: 1500 },
      { x: 3000, y: 2000 },
    ]),
  ],
  micro: [
    {
      carrier: 'kafkajs headers',
      operation: 'inject',
      ours: 300,
      upstream: 100,
      upstreamKind: 'plain-object baseline',
    },
  ],
  failures: [],
};

describe('tables', () => {
  it('formats figures and marks missing ones', () => {
    assert.equal(fmt(1.234, 2), '1.23');
    assert.equal(fmt(Number.NaN), 'n/a');
  });

  it('renders one row per cell with the goal marks', () => {
    const table = renderResultsTable([good, bad]).split('\n');
    assert.equal(table.length, 4);
    assert.match(table[2] as string, /\| 5\.0 \/ 11\.0 \/ 7\.0 \| 6\.0 \/ 2\.0 \| 0\.33 ✅ \|/);
    assert.match(table[2] as string, /\| 0\.95 ✅ \(0\.50\) \| 1\.0 \/ 1\.0 \/ 1\.0 \|$/);
    assert.match(table[3] as string, /\| 0\.80 ❌ \(0\.80\)|\| 0\.80 ❌/);
  });

  it('shows allocated bytes, and what metrics add over the tracing-alone twin', () => {
    const tracing = summarizeCell(
      'amqplib',
      'publish',
      'always-on',
      [{ uninstrumented: s(5, 1000, 500), upstream: s(15, 900, 900), ours: s(9, 950, 700) }],
      'tracing',
    );
    const metrics = summarizeCell(
      'amqplib',
      'publish',
      'always-on',
      [{ uninstrumented: s(5, 1000, 500), upstream: s(15, 900, 900), ours: s(12, 950, 800) }],
      'metrics',
    );
    const row = renderResultsTable([metrics], [tracing]).split('\n')[2] as string;
    // upstream adds nothing with metrics on (it records none), ours 3 µs.
    assert.match(row, /\| 10\.0 \/ 7\.0 \| 0\.70 ❌ \| 0\.0 \/ 3\.0 \| 500 \/ 900 \/ 800 \|/);
    assert.equal(renderResultsTable([tracing]).split('\n')[0]?.includes('metrics add'), false);
  });

  it('judges the goals on tracing alone when the run measured it', () => {
    const always = summarizeCell(
      'amqplib',
      'publish',
      'always-on',
      [{ uninstrumented: s(5, 1000), upstream: s(15, 1000), ours: s(9, 1000) }],
      'tracing',
    );
    const tenPercent = summarizeCell(
      'amqplib',
      'publish',
      'parent-10%',
      [{ uninstrumented: s(5, 1000), upstream: s(15, 1000), ours: s(6, 1000) }],
      'tracing',
    );
    // With metrics ours costs far more: not what the goals compare.
    const withMetrics = summarizeCell(
      'amqplib',
      'publish',
      'always-on',
      [{ uninstrumented: s(5, 1000), upstream: s(15, 1000), ours: s(30, 1000) }],
      'metrics',
    );
    assert.deepEqual(judgedCells([always, tenPercent, withMetrics]), [always, tenPercent]);
    assert.deepEqual(
      samplingSavings([always, tenPercent]).map(({ ratio }) => ratio),
      [0.25],
    );
    const verdicts = evaluateGoals({ ...report, cells: [always, tenPercent, withMetrics], soak: [] });
    assert.deepEqual(
      verdicts.map((v) => [v.goal.split(' (')[0], v.met]),
      [
        ['CPU overhead ≤ 0.5 × upstream', true],
        ['CPU overhead ≤ 0.2 × upstream', true],
        ['ours at parent-10% ≤ 0.3 × ours always-on', true],
        ['throughput ≥ 0.9 × uninstrumented', true],
        ['heap flat', undefined],
      ],
    );
  });

  it('judges each goal per system', () => {
    const verdicts = evaluateGoals(report);
    assert.deepEqual(
      verdicts.map((v) => [v.goal.split(' (')[0], v.met]),
      [
        ['CPU overhead ≤ 0.5 × upstream', true],
        ['CPU overhead ≤ 0.2 × upstream', false],
        // Both cells are Kafka batch rows, judged by their own goal: no per-message row to judge sampling on.
        ['ours at parent-10% ≤ 0.3 × ours always-on', undefined],
        ['Kafka batch rows ≤ 0.3 × upstream', false],
        ['throughput ≥ 0.9 × uninstrumented', false],
        ['heap flat', true],
      ],
    );
  });

  it('judges confluent-kafka batch rows by the Kafka batch goal, apart from kafkajs', () => {
    const confluent = summarizeCell('confluent-kafka', 'produce batch 100', 'always-on', [
      { uninstrumented: s(5, 1000), upstream: s(15, 500), ours: s(7, 950) },
    ]);
    const verdicts = evaluateGoals({ ...report, cells: [good, confluent], soak: [] }).filter(
      (v) => v.system === 'confluent-kafka',
    );
    const batch = verdicts.find((v) => v.goal.startsWith('Kafka batch rows'));
    assert.equal(batch?.met, true);
    assert.equal(batch?.detail, 'worst ratio 0.20');
  });

  it('reads heap growth from the steady second half of a soak', () => {
    // The early step down is V8 shrinking its heap, not the messages.
    assert.equal(report.soak[0]?.bytesPerMessage, 0.05);
    assert.equal(report.soak[1]?.bytesPerMessage, 0.5);
    // 0.5 B/msg over 3000 messages is within the 1 MiB allowance; 400 B/msg would not be.
    const leaking = summarizeSoak('kafkajs', 'ours', 'w', [
      { x: 0, y: 0 },
      { x: 1_000_000, y: 4e8 },
      { x: 2_000_000, y: 8e8 },
      { x: 3_000_000, y: 12e8 },
    ]);
    const verdict = evaluateGoals({ ...report, soak: [...report.soak.slice(0, 1), leaking] }).find(
      (v) => v.goal === 'heap flat (soak)',
    );
    assert.equal(verdict?.met, false);
  });

  it('judges a soak against a baseline that shrank as against a flat one', () => {
    // The uninstrumented heap shrank over the soak (−38 B/msg): ours staying flat (1 B/msg) is flat.
    const shrinking = summarizeSoak('kafkajs', 'uninstrumented', 'w', [
      { x: 0, y: 0 },
      { x: 1_000_000, y: 12e8 },
      { x: 2_000_000, y: 12e8 - 38e6 },
      { x: 3_000_000, y: 12e8 - 76e6 },
      { x: 4_000_000, y: 12e8 - 114e6 },
    ]);
    const flat = summarizeSoak('kafkajs', 'ours', 'w', [
      { x: 0, y: 0 },
      { x: 1_000_000, y: 1e6 },
      { x: 2_000_000, y: 2e6 },
      { x: 3_000_000, y: 3e6 },
      { x: 4_000_000, y: 4e6 },
    ]);
    assert.ok(shrinking.bytesPerMessage < 0);
    const verdict = evaluateGoals({ ...report, soak: [shrinking, flat] }).find((v) => v.goal === 'heap flat (soak)');
    assert.equal(verdict?.met, true);
  });

  it('writes a complete document', () => {
    const markdown = renderBenchmarksMarkdown(report);
    for (const heading of [
      '## Goals',
      '## Results',
      '### Heap soak',
      '### Carrier micro-benchmarks',
      '## Machine',
      '## Reproduce',
    ])
      assert.ok(markdown.includes(heading), heading);
    assert.ok(markdown.includes('bench/results/overhead-ratios.svg'));
    assert.ok(markdown.includes('worst ratio 0.33'));
    assert.ok(!markdown.includes('### CPU profiles'));
    assert.ok(!markdown.includes('### What the SDK alone costs per message'), 'no floor section without floor figures');
    const withFloor = renderBenchmarksMarkdown({
      ...report,
      sdkFloor: [{ call: 'histogram.record', alwaysOn: 901.4, tenPercent: 880.6 }],
    });
    assert.ok(withFloor.includes('### What the SDK alone costs per message'));
    assert.ok(withFloor.includes('| histogram.record | 901 | 881 |'));
    assert.ok(
      renderBenchmarksMarkdown(report, ['bench/results/profile-x.md']).includes('(bench/results/profile-x.md)'),
    );
  });
});

describe('SVG chart', () => {
  it('is well-formed, escapes labels and draws a bar per ratio', () => {
    const svg = renderRatioSvg([good, { ...bad, workload: 'a<b & "c"' }], 'T & <t>');
    assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
    assert.ok(svg.trimEnd().endsWith('</svg>'));
    assert.ok(svg.includes('T &amp; &lt;t&gt;'));
    assert.ok(svg.includes('a&lt;b &amp; &quot;c&quot;'));
    assert.ok(!/<text[^>]*>[^<]*[<&](?!amp;|lt;|gt;|quot;)[^<]*<\/text>/.test(svg));
    // Per row: one overhead bar and two throughput bars, plus the white background.
    assert.equal((svg.match(/<rect /g) ?? []).length, 1 + 2 * 3);
    assert.ok(svg.includes('>0.33<'));
  });
});

describe('profile summary', () => {
  it('attributes self time to functions and code areas', () => {
    const summary = summarizeProfile({
      nodes: [
        { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1 } },
        {
          id: 2,
          callFrame: {
            functionName: 'inject',
            url: 'file:///w/packages/messaging-propagation/dist/inject.js',
            lineNumber: 9,
          },
        },
        {
          id: 3,
          callFrame: {
            functionName: 'encode',
            url: 'file:///w/node_modules/.pnpm/kafkajs@2.2.4/node_modules/kafkajs/src/x.js',
            lineNumber: 0,
          },
        },
      ],
      samples: [2, 2, 3, 1],
      timeDeltas: [1000, 1000, 1000, 1000],
    });
    assert.equal(summary.totalMs, 4);
    assert.deepEqual(summary.functions[0], {
      name: 'inject packages/messaging-propagation/dist/inject.js:10',
      selfMs: 2,
      share: 0.5,
    });
    assert.deepEqual(
      summary.areas.map((a) => a.name),
      ['ours: @org/messaging-propagation', 'kafkajs', '(V8/native: GC, idle, program)'],
    );
    assert.equal(codeArea('node:internal/streams'), 'node core');
  });
});
