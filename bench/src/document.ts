// BENCHMARKS.md, generated from a report by `pnpm bench` (never edit it by hand:
// rerun, or `node src/run-bench.ts --render-only` after changing this file).
import {
  fmt,
  overheadGoalMet,
  renderFloorTable,
  renderMicroTable,
  renderResultsTable,
  renderSoakTable,
} from './render.ts';
import type { BenchReport } from './render.ts';
import type { FloorResult } from './sdk-floor.ts';
import {
  configOf,
  KAFKA_BATCH_RATIO_GOAL,
  OVERHEAD_RATIO_GOAL,
  SAMPLING_SAVING_GOAL,
  THROUGHPUT_RATIO_GOAL,
} from './stats.ts';
import type { CellSummary } from './stats.ts';

/**
 * Ours may grow the heap by at most this much more per message than the
 * uninstrumented client, or 1 MiB over the whole soak when that is more
 * (heap-after-GC readings wobble by a few hundred KB).
 */
export const HEAP_SLOPE_TOLERANCE_BYTES_PER_MSG = 1;
const HEAP_NOISE_BYTES = 1_048_576;

export function heapSlopeTolerance(messages: number): number {
  return Math.max(
    HEAP_SLOPE_TOLERANCE_BYTES_PER_MSG,
    messages > 0 ? HEAP_NOISE_BYTES / messages : Number.POSITIVE_INFINITY,
  );
}

export interface GoalVerdict {
  goal: string;
  system: string;
  met: boolean | undefined;
  detail: string;
}

/**
 * The cells the goals are judged on: tracing alone where the run measured it (the
 * equal-work comparison: upstream amqplib and aws-sdk record no metrics), else
 * what there is (reports from before both set-ups were measured).
 */
export function judgedCells(cells: readonly CellSummary[]): CellSummary[] {
  const tracing = cells.filter((cell) => configOf(cell) === 'tracing');
  return tracing.length > 0 ? tracing : [...cells];
}

/** A Kafka batch row: ours records one send span per batch there, upstream (and the confluent peer) one per message. */
const isKafkaBatch = (cell: CellSummary): boolean =>
  (cell.system === 'kafkajs' || cell.system === 'confluent-kafka') && /batch/.test(cell.workload);

/** Ours at parent-based 10% ÷ ours always-on, per workload, for the workloads measured under both. */
export function samplingSavings(cells: readonly CellSummary[]): Array<{ cell: CellSummary; ratio: number }> {
  const out: Array<{ cell: CellSummary; ratio: number }> = [];
  for (const sampled of cells.filter((cell) => cell.sampling === 'parent-10%')) {
    const always = cells.find(
      (cell) => cell.sampling === 'always-on' && cell.system === sampled.system && cell.workload === sampled.workload,
    );
    if (!always) continue;
    const ratio =
      always.overheadUs.ours > 0 ? Math.max(0, sampled.overheadUs.ours) / always.overheadUs.ours : Number.NaN;
    out.push({ cell: sampled, ratio });
  }
  return out;
}

/** The goals, per system: the worst workload decides. */
export function evaluateGoals(report: BenchReport): GoalVerdict[] {
  const verdicts: GoalVerdict[] = [];
  const judged = judgedCells(report.cells);
  const systems = [...new Set(judged.map((cell) => cell.system))];
  for (const system of systems) {
    const cells = judged.filter((cell) => cell.system === system);
    for (const [sampling, goal] of Object.entries(OVERHEAD_RATIO_GOAL)) {
      const these = cells.filter((cell) => cell.sampling === sampling);
      const judged = these.map((cell) => ({ cell, met: overheadGoalMet(cell) }));
      const finite = these.map((cell) => cell.overheadRatio).filter(Number.isFinite);
      const worst = finite.length > 0 ? Math.max(...finite) : Number.NaN;
      const anyMissing = judged.some((j) => j.met === undefined);
      const allMet = judged.every((j) => j.met !== false);
      verdicts.push({
        goal: `CPU overhead ≤ ${goal} × upstream (${sampling})`,
        system,
        met: !allMet ? false : anyMissing ? undefined : true,
        detail: `worst ratio ${fmt(worst, 2)}${anyMissing ? ' (some cells n/a: upstream overhead ≤ 0 within noise)' : ''}`,
      });
    }
    const savings = samplingSavings(cells).filter(({ cell }) => !isKafkaBatch(cell));
    const savingRatios = savings.map(({ ratio }) => ratio).filter(Number.isFinite);
    const worstSaving = savingRatios.length > 0 ? Math.max(...savingRatios) : Number.NaN;
    verdicts.push({
      goal: `ours at parent-10% ≤ ${SAMPLING_SAVING_GOAL} × ours always-on (sampling saves work)`,
      system,
      met: Number.isFinite(worstSaving) ? worstSaving <= SAMPLING_SAVING_GOAL : undefined,
      detail: `worst ratio ${fmt(worstSaving, 2)}${savings.length > 0 ? ` (${savings.map(({ cell, ratio }) => `${cell.workload} ${fmt(ratio, 2)}`).join(', ')})` : ''}`,
    });
    const batches = cells.filter(isKafkaBatch);
    if (batches.length > 0) {
      const ratios = batches.map((cell) => cell.overheadRatio).filter(Number.isFinite);
      const worst = ratios.length > 0 ? Math.max(...ratios) : Number.NaN;
      verdicts.push({
        goal: `Kafka batch rows ≤ ${KAFKA_BATCH_RATIO_GOAL} × upstream`,
        system,
        met: Number.isFinite(worst) ? worst <= KAFKA_BATCH_RATIO_GOAL : undefined,
        detail: `worst ratio ${fmt(worst, 2)}`,
      });
    }
    const minThroughput = Math.min(...cells.map((cell) => cell.throughputRatio).filter(Number.isFinite));
    verdicts.push({
      goal: `throughput ≥ ${THROUGHPUT_RATIO_GOAL} × uninstrumented`,
      system,
      met: Number.isFinite(minThroughput) ? minThroughput >= THROUGHPUT_RATIO_GOAL : undefined,
      detail: `worst ratio ${fmt(minThroughput, 2)}`,
    });
    const ours = report.soak.find((s) => s.system === system && s.variant === 'ours');
    const none = report.soak.find((s) => s.system === system && s.variant === 'uninstrumented');
    verdicts.push({
      goal: 'heap flat (soak)',
      system,
      // A baseline that shrank over the soak (negative slope) is no allowance for ours to shrink too:
      // flat means no more growth than the uninstrumented run's, or than none at all.
      met:
        ours && none
          ? ours.bytesPerMessage <= Math.max(none.bytesPerMessage, 0) + heapSlopeTolerance(ours.messages)
          : undefined,
      detail:
        ours && none
          ? `${fmt(ours.bytesPerMessage, 2)} bytes/msg over ${ours.messages} messages (uninstrumented ${fmt(none.bytesPerMessage, 2)})`
          : 'not measured',
    });
  }
  return verdicts;
}

function renderResultsSection(cells: readonly CellSummary[]): string {
  const tracing = cells.filter((cell) => configOf(cell) === 'tracing');
  const metrics = cells.filter((cell) => configOf(cell) === 'metrics');
  const parts: string[] = [];
  if (tracing.length > 0) {
    parts.push(`### Tracing alone

No MeterProvider in any variant: metric calls are the API's no-ops, so upstream
and ours do the same work (spans and propagation). The goals are judged here.

${renderResultsTable(tracing)}`);
  }
  if (metrics.length > 0) {
    parts.push(`### With metrics

A MeterProvider whose reader aggregates and never exports. Ours records the
semconv duration histogram and message counters for every message, sampled or
not; upstream kafkajs records its own metrics, upstream amqplib and aws-sdk and
the confluent-kafka peer none.
"metrics add" is each variant's overhead here minus its tracing-alone overhead.

${renderResultsTable(metrics, tracing.length > 0 ? tracing : undefined)}`);
  }
  return parts.join('\n\n');
}

function renderFloorSection(floor: readonly FloorResult[]): string {
  return `### What the SDK alone costs per message

The OpenTelemetry SDK calls any instrumentation makes per message, timed in a
loop with no broker and no instrumentation (\`bench/src/sdk-floor.ts\`, the same
SDK set-up as above, ns per call, best median of two passes). A publish span
carries 11 attributes, its metrics the 6 low-cardinality ones.

${renderFloorTable(floor)}

What this bounds: upstream and ours both start one span per published or
processed message and inject or extract the context, so neither can cost less
than those rows; for ours to cost at most half of upstream's overhead, all its
per-message work would have to fit in half the cost of the span both make. On
top of the span, ours records the semconv duration histogram of each operation
(one SDK \`record\` per operation: the SDK sorts and serialises the attributes
every time, and a histogram cannot be pre-aggregated outside the SDK), and
counts messages in \`AggregatingCounter\`s (the SDK \`Counter\` row is what that
replaced). Upstream kafkajs records metrics too; upstream amqplib and aws-sdk
record none, which is most of the difference in those rows of the results.
Unsampled spans are cheap in both; the metrics are not sampled, by design.

`;
}

/** `profiles`: CPU profile summaries (paths relative to the repository root) to link. */
export function renderBenchmarksMarkdown(report: BenchReport, profiles: readonly string[] = []): string {
  const verdicts = evaluateGoals(report);
  const versions = Object.entries(report.versions)
    .map(([name, version]) => `\`${name}\` ${version}`)
    .join(', ');
  const load = report.machine.loadAverage;
  return `# Benchmarks

<!-- Generated by \`pnpm bench\` (bench/src/document.ts); do not edit by hand. -->

What otel-mq's instrumentations cost in the message path, side by side with the
upstream OpenTelemetry contrib instrumentations and with no instrumentation at
all, against real local brokers. ${report.quick ? '**This is a quick smoke run (`BENCH_QUICK=1`): one round of small sizes; do not quote its figures.**' : ''}

![overhead ratios](bench/results/overhead-ratios.svg)

## Goals

Judged on the tracing-alone table (equal work).

| system | goal | met | measured |
| --- | --- | --- | --- |
${verdicts.map((v) => `| ${v.system} | ${v.goal} | ${v.met === undefined ? '–' : v.met ? '✅' : '❌'} | ${v.detail} |`).join('\n')}

## Results

Medians over ${report.rounds} interleaved round(s). CPU is the client process's
\`process.cpuUsage()\` (user + system, all threads) per message; overhead is the
paired median of instrumented − uninstrumented CPU per message; throughput ratios
are paired medians too. Allocated bytes per message are what V8 allocated on the
JS heap during the run (summed from its GC heap statistics, \`v8.GCProfiler\`),
divided by the messages: what the GC pays for later. ✅/❌ mark the goals: overhead ratio ≤ ${OVERHEAD_RATIO_GOAL['always-on']} (always-on) or ≤
${OVERHEAD_RATIO_GOAL['parent-10%']} (parent-based 10%), throughput ≥ ${THROUGHPUT_RATIO_GOAL}. "n/a": the upstream overhead was not
above zero within the noise, so no ratio is meaningful.

${renderResultsSection(report.cells)}

### Heap soak

The end-to-end workload run in chunks in one process (always-on sampling), heap
used after a forced GC after each chunk; the slope is the least-squares growth
per message over the second half of the chunks (V8 shrinks the heap in steps
during the first ones, in every variant alike). A leak proportional to messages
shows as a steady slope of tens of bytes per message or more; the goal allows ours at most
${HEAP_SLOPE_TOLERANCE_BYTES_PER_MSG} byte/message above the uninstrumented client's (or 1 MiB over the soak, for short soaks).

${renderSoakTable(report.soak)}

### Carrier micro-benchmarks

One inject or extract through the global W3C trace-context + baggage propagator,
three application headers next to the propagation fields. Ours inject into a
copy (the caller's headers are never mutated) and read Buffers, arrays and
hostile values defensively. Upstream's own kafkajs getter and aws-sdk SQS
getter/setter are internal to those packages (not exported), so their column is
the plain-object baseline: \`propagation.inject/extract\` with the API's default
getter/setter on an object of strings, the cheapest path there is. For amqplib
that baseline *is* upstream's code path.

${renderMicroTable(report.micro)}

${report.sdkFloor && report.sdkFloor.length > 0 ? renderFloorSection(report.sdkFloor) : ''}${
    profiles.length > 0
      ? `### CPU profiles\n\nSelf time by code area and function of each variant under \`node --cpu-prof\` (from \`pnpm bench --profile SYSTEM\`, always-on sampling, possibly from an earlier run than the tables): ${profiles.map((file) => `[${file}](${file})`).join(', ')}.\n\n`
      : ''
  }## Method

- Per system, each variant runs in its own fresh Node process (instrumentation
  patching is process-global): **uninstrumented** (no SDK at all), **upstream**
  (\`@opentelemetry/instrumentation-kafkajs\` / \`-amqplib\` / \`-aws-sdk\`), **ours**
  (\`@org/instrumentation-*\`). confluent-kafka has no upstream contrib
  instrumentation: its "upstream" column is the third-party OTel plugin
  \`@instana/instrumentation-confluent-kafka-javascript\` (it patches \`send\`
  and \`eachMessage\`, a span per message, no metrics), enabled like any
  instrumentation with \`registerInstrumentations\` under the same SDK.
  Variants run A B C, A B C, … round by round, each round under both
  samplings, so machine drift hits all alike.
- Instrumented variants share one SDK: \`@opentelemetry/sdk-trace\` TracerProvider
  with a span processor that drops every span, a MeterProvider whose reader
  aggregates but never exports, AsyncLocalStorage context manager, W3C
  trace-context + baggage propagators. Samplings: always-on, and
  ParentBased(TraceIdRatio 0.1).
- Every workload warms up with 20% of its size first. Sizes: see
  \`bench/src/run-bench.ts\` (\`FULL_SIZES\`).
- kafkajs: awaited \`send\` of one message; \`send\` of 100 messages; send of 100s
  while one \`eachMessage\` consumer (joined beforehand) consumes them all.
- confluent-kafka (\`@confluentinc/kafka-javascript\`, its KafkaJS-compatible
  API, against the same librdkafka mock broker): the kafkajs workloads, awaited
  \`send\` of one message; \`send\` of 100; send of 100s while one
  \`eachMessage\` consumer consumes them all (its group join, ~3 s, falls in the
  warm-up). The client's own work runs largely in librdkafka's threads, which
  count in the process CPU too.
- amqplib: \`sendToQueue\` (back-pressure honoured, ended by a \`checkQueue\` RPC);
  the same while a manual-ack consumer (prefetch 200) acks them all. amqplib has
  no batch publish.
- SQS (${report.machine.sqsEmulator} emulator): awaited \`SendMessage\`; \`SendMessageBatch\` of
  10; awaited SNS \`Publish\` to a topic with one SQS subscription (fauxqs only: it
  emulates SNS; upstream's aws-sdk instrumentation instruments \`Publish\` too);
  batches of 10 drained by an \`sqs-consumer\` \`Consumer\` (batch size 10, an
  empty \`handleMessage\`, a \`DeleteMessage\` per message: ours adds a process
  span per message and parents the delete in it, upstream instruments only the
  SDK calls); batches of 10 then \`ReceiveMessage\` (10) → process each →
  \`DeleteMessageBatch\`. Ours processes each message through \`processSqsMessage\` (its per-message
  process span: upstream has no equivalent, so ours does more here); the others
  call the work directly.
- The emulator's and brokers' CPU is not counted: they run in their own processes.

## Machine

- ${report.machine.cpus} CPUs: ${report.machine.cpuModel}; Node ${report.machine.node}
- Load average (1/5/15 min) at start ${load.slice(0, 3).join(' / ')}, at end ${load.slice(3).join(' / ')}: the
  machine was shared with other engineers' e2e runs, so single rounds vary; read
  the medians and ratios, not single figures.
- Date ${report.date}, run took ${report.durationSeconds} s${report.failures.length ? `; failures: ${report.failures.join('; ')}` : ''}.
- Versions: ${versions}.

## Reproduce

\`\`\`sh
pnpm install && pnpm run build:tsc
pnpm bench                     # full run (tracing alone and with metrics), ~40 min on 2 cores (5 rounds; --rounds 3 ~25 min); rewrites this file
BENCH_QUICK=1 pnpm bench       # ~2 min smoke run
pnpm bench --systems kafkajs --rounds 3
pnpm bench --profile amqplib   # --cpu-prof of each variant, summary in bench/results/profile-amqplib.md
pnpm bench --no-metrics        # tracing alone only (half the time); prints the table, writes nothing
\`\`\`

Brokers are started by the bench itself with the e2e suite's starters
(\`e2e/src/brokers/*.ts\`): RabbitMQ, librdkafka's mock Kafka cluster, and an
SQS emulator (\`BENCH_SQS_EMULATOR=local-aws-sqs\` for the other one).
`;
}
