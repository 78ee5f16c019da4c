// `pnpm bench`: starts the brokers it needs (through the e2e suite's broker
// starters), runs every system's workloads uninstrumented, with the upstream
// instrumentation and with ours, each in its own fresh process, interleaved
// round by round (A B C A B C …), then the heap soak and the carrier
// micro-benchmarks, and writes BENCHMARKS.md, bench/results/latest.json and
// bench/results/overhead-ratios.svg.
//
// Usage: node src/run-bench.ts [--systems kafkajs,confluent-kafka,amqplib,sqs] [--rounds N]
//        [--no-write] [--render-only] [--profile SYSTEM] [--no-metrics]
// Every cell is measured twice, interleaved: tracing alone (no MeterProvider) and with metrics.
// --no-metrics: tracing alone only; prints the table, writes nothing.
// BENCH_QUICK=1: one round of small sizes (~1 minute smoke run).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
// The e2e suite owns broker lifecycles; the bench reuses its starters rather than duplicating them.
import { startKafka } from '../../e2e/src/brokers/kafka.ts';
import { startRabbitMq } from '../../e2e/src/brokers/rabbitmq.ts';
import { startSqs } from '../../e2e/src/brokers/sqs.ts';
import type { SqsEmulatorKind } from '../../e2e/src/brokers/sqs.ts';
import { judgedCells, renderBenchmarksMarkdown } from './document.ts';
import type { MicroResult } from './micro.ts';
import type { FloorResult } from './sdk-floor.ts';
import { summarizeProfile } from './profile.ts';
import type { CpuProfile } from './profile.ts';
import { renderRatioSvg, renderResultsTable, summarizeSoak } from './render.ts';
import type { BenchReport, SoakSummary } from './render.ts';
import { summarizeCell, VARIANTS } from './stats.ts';
import type { BenchConfig, RoundSamples, Variant } from './stats.ts';
import { SAMPLINGS } from './telemetry.ts';
import type { SystemName } from './telemetry.ts';
import type { WorkerJob, WorkerResult } from './worker.ts';
import type { BrokerAddresses } from './workloads/types.ts';

const BENCH_DIR = join(import.meta.dirname, '..');
const ROOT = join(BENCH_DIR, '..');
const RESULTS_DIR = join(BENCH_DIR, 'results');
const SYSTEMS: readonly SystemName[] = ['kafkajs', 'confluent-kafka', 'amqplib', 'sqs'];

/** Messages per workload (in each system's workload order), full run. About 40 min on 2 cores at 5 rounds (both set-ups, four systems). */
const FULL_SIZES: Record<SystemName, number[]> = {
  kafkajs: [1_500, 20_000, 20_000],
  'confluent-kafka': [1_500, 20_000, 20_000],
  amqplib: [40_000, 20_000],
  sqs: [500, 4_000, 500, 2_000, 2_000],
};
/** Soak: the end-to-end workload in chunks, heap after GC after each: ~200,000 messages where the broker allows. */
const FULL_SOAK: Record<SystemName, { chunk: number; chunks: number }> = {
  kafkajs: { chunk: 25_000, chunks: 8 },
  'confluent-kafka': { chunk: 25_000, chunks: 8 },
  amqplib: { chunk: 25_000, chunks: 8 },
  sqs: { chunk: 1_000, chunks: 10 },
};
const FULL_ROUNDS = 5;

interface Options {
  systems: SystemName[];
  rounds: number;
  quick: boolean;
  write: boolean;
  renderOnly: boolean;
  profile: SystemName | undefined;
  sqsEmulator: SqsEmulatorKind;
  /**
   * The SDK set-ups measured, interleaved: tracing alone (no MeterProvider, the
   * equal-work comparison) and with metrics. `--no-metrics`: tracing alone only,
   * printed, never written.
   */
  configs: BenchConfig[];
}

function parseOptions(argv: string[]): Options {
  const quick = process.env.BENCH_QUICK === '1';
  const options: Options = {
    systems: [...SYSTEMS],
    rounds: quick ? 1 : FULL_ROUNDS,
    quick,
    write: true,
    renderOnly: false,
    profile: undefined,
    configs: ['tracing', 'metrics'],
    sqsEmulator: process.env.BENCH_SQS_EMULATOR === 'local-aws-sqs' ? 'local-aws-sqs' : 'fauxqs',
  };
  const asSystem = (name: string | undefined): SystemName => {
    if (!SYSTEMS.includes(name as SystemName)) throw new Error(`unknown system ${name}; one of ${SYSTEMS.join(', ')}`);
    return name as SystemName;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--systems') options.systems = (argv[++i] ?? '').split(',').map(asSystem);
    else if (arg === '--rounds') options.rounds = Math.max(1, Number(argv[++i]));
    else if (arg === '--no-write') options.write = false;
    else if (arg === '--render-only') options.renderOnly = true;
    else if (arg === '--profile') options.profile = asSystem(argv[++i]);
    else if (arg === '--no-metrics') options.configs = ['tracing'];
    else throw new Error(`unknown argument ${arg}`);
  }
  return options;
}

function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

function sizesFor(system: SystemName, quick: boolean): number[] {
  return FULL_SIZES[system].map((n) => (quick ? Math.max(50, Math.round(n / 10)) : n));
}

let kafkaJobCount = 0;
function kafkaTopicsFor(index: number): WorkerJob['kafkaTopics'] {
  return { produce: `bench-produce-${index}`, e2e: `bench-e2e-${index}` };
}

/** Runs one worker process; resolves with its result, or undefined (logged) when it failed. */
function runWorker(
  job: Omit<WorkerJob, 'out' | 'kafkaTopics'>,
  scratch: string,
  nodeFlags: string[] = [],
): Promise<WorkerResult | undefined> {
  const index = kafkaJobCount++;
  const out = join(scratch, `job-${index}.json`);
  const full: WorkerJob = { ...job, kafkaTopics: kafkaTopicsFor(index), out };
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--expose-gc', ...nodeFlags, join(BENCH_DIR, 'src', 'worker.ts')], {
      cwd: BENCH_DIR,
      env: { ...process.env, BENCH_JOB: JSON.stringify(full) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(readFileSync(out, 'utf8')) as WorkerResult);
      } catch {
        log(`worker ${job.system}/${job.variant}/${job.sampling} failed (${signal ?? code}):\n${stderr}`);
        resolve(undefined);
      }
    });
  });
}

/** Brokers share a busy machine with other test runs: one slow start should not sink a 10-minute run. */
async function retryOnce<T>(start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    log(`broker start failed, retrying once: ${String(error).split('\n')[0]}`);
    return start();
  }
}

interface Brokers {
  addresses: BrokerAddresses;
  stop(): Promise<void>;
}

async function startBrokers(
  systems: readonly SystemName[],
  kafkaTopicCount: number,
  sqsEmulator: SqsEmulatorKind,
): Promise<Brokers> {
  const stops: Array<() => Promise<void>> = [];
  const addresses: BrokerAddresses = {
    kafkaBrokers: [],
    rabbitMqUrl: '',
    sqsEndpoint: '',
    sqsRegion: '',
    snsEndpoint: '',
  };
  const topics = Array.from({ length: kafkaTopicCount }, (_, i) => [
    { name: kafkaTopicsFor(i).produce, partitions: 1 },
    { name: kafkaTopicsFor(i).e2e, partitions: 1 },
  ]).flat();
  const starts: Promise<void>[] = [];
  if (systems.includes('kafkajs') || systems.includes('confluent-kafka')) {
    starts.push(
      retryOnce(() => startKafka({ topics, timeoutMs: 30_000 })).then((kafka) => {
        stops.push(() => kafka.stop());
        addresses.kafkaBrokers = kafka.brokers;
      }),
    );
  }
  if (systems.includes('amqplib')) {
    starts.push(
      retryOnce(() => startRabbitMq()).then((rabbit) => {
        stops.push(() => rabbit.stop());
        addresses.rabbitMqUrl = rabbit.url;
      }),
    );
  }
  if (systems.includes('sqs')) {
    starts.push(
      retryOnce(() => startSqs(sqsEmulator)).then((sqs) => {
        stops.push(() => sqs.stop());
        addresses.sqsEndpoint = sqs.endpoint;
        addresses.sqsRegion = sqs.region;
        if (sqsEmulator === 'fauxqs') addresses.snsEndpoint = sqs.endpoint;
      }),
    );
  }
  const stop = async (): Promise<void> => {
    await Promise.allSettled(stops.map((s) => s()));
  };
  const results = await Promise.allSettled(starts);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await stop();
    throw failed.reason;
  }
  return { addresses, stop };
}

function packageVersion(name: string): string {
  try {
    return (
      JSON.parse(readFileSync(join(BENCH_DIR, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }
    ).version;
  } catch {
    return 'unknown';
  }
}

const VERSIONED_PACKAGES = [
  'kafkajs',
  '@confluentinc/kafka-javascript',
  'amqplib',
  '@aws-sdk/client-sqs',
  '@aws-sdk/client-sns',
  'sqs-consumer',
  '@opentelemetry/api',
  '@opentelemetry/sdk-trace',
  '@opentelemetry/sdk-metrics',
  '@opentelemetry/instrumentation',
  '@opentelemetry/instrumentation-kafkajs',
  '@opentelemetry/instrumentation-amqplib',
  '@opentelemetry/instrumentation-aws-sdk',
  '@instana/instrumentation-confluent-kafka-javascript',
  '@org/instrumentation-kafkajs',
  '@org/instrumentation-confluent-kafka',
  '@org/instrumentation-amqplib',
  '@org/instrumentation-aws-sqs',
  '@org/messaging-propagation',
];

/** Runs a micro-benchmark script (micro.ts, sdk-floor.ts) in its own process; its JSON result, or [] if it failed. */
function runMicroChild<T>(script: string, scratch: string, quick: boolean): Promise<T[]> {
  const out = join(scratch, `${script}.json`);
  const args = [join(BENCH_DIR, 'src', script), out, quick ? '20000' : '50000', quick ? '3' : '5'];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: BENCH_DIR, stdio: ['ignore', 'ignore', 'inherit'] });
    child.once('close', () => {
      try {
        resolve(JSON.parse(readFileSync(out, 'utf8')) as T[]);
      } catch {
        log(`${script} failed`);
        resolve([]);
      }
    });
  });
}

async function profile(system: SystemName, options: Options, scratch: string): Promise<void> {
  const brokers = await startBrokers([system], 4, options.sqsEmulator);
  const dir = join(RESULTS_DIR, 'profiles', system);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  try {
    const lines: string[] = [`# CPU profile: ${system}, always-on sampling`, ''];
    for (const variant of ['uninstrumented', 'upstream', 'ours'] as const) {
      const variantDir = join(dir, variant);
      const sizes = FULL_SIZES[system].map((n) => n * 2);
      const result = await runWorker(
        {
          system,
          variant,
          sampling: 'always-on',
          brokers: brokers.addresses,
          sizes,
          warmupFraction: 0.2,
          metrics: options.configs.includes('metrics'),
        },
        scratch,
        ['--cpu-prof', `--cpu-prof-dir=${variantDir}`],
      );
      const file = readdirSync(variantDir).find((name) => name.endsWith('.cpuprofile'));
      if (!result || !file) continue;
      const summary = summarizeProfile(JSON.parse(readFileSync(join(variantDir, file), 'utf8')) as CpuProfile, 25);
      lines.push(
        `## ${variant} (${summary.totalMs.toFixed(0)} ms sampled)`,
        '',
        '| code area | self ms | share |',
        '| --- | --- | --- |',
      );
      for (const area of summary.areas.slice(0, 15))
        lines.push(`| ${area.name} | ${area.selfMs.toFixed(1)} | ${(area.share * 100).toFixed(1)}% |`);
      lines.push('', '| function | self ms | share |', '| --- | --- | --- |');
      for (const fn of summary.functions)
        lines.push(`| \`${fn.name}\` | ${fn.selfMs.toFixed(1)} | ${(fn.share * 100).toFixed(1)}% |`);
      lines.push('');
    }
    const out = join(RESULTS_DIR, `profile-${system}.md`);
    writeFileSync(out, lines.join('\n'));
    formatGenerated([out]);
    log(`profile summary written to ${out}`);
  } finally {
    await brokers.stop();
  }
}

/** Formats generated files with the workspace's own Prettier, so `prettier --check .` stays green. */
function formatGenerated(files: string[]): void {
  const prettier = join(ROOT, 'node_modules', 'prettier', 'bin', 'prettier.cjs');
  if (!existsSync(prettier)) {
    log('prettier not installed at the workspace root: run `pnpm exec prettier --write` on the generated files');
    return;
  }
  const result = spawnSync(process.execPath, [prettier, '--write', '--log-level=warn', ...files], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (result.status !== 0) log('prettier could not format the generated files');
}

function writeOutputs(report: BenchReport): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const json = join(RESULTS_DIR, 'latest.json');
  const markdown = join(ROOT, 'BENCHMARKS.md');
  writeFileSync(json, JSON.stringify(report, null, 2) + '\n');
  writeFileSync(
    join(RESULTS_DIR, 'overhead-ratios.svg'),
    renderRatioSvg(
      judgedCells(report.cells),
      `otel-mq overhead vs upstream instrumentations, tracing alone (${report.date.slice(0, 10)})`,
    ),
  );
  const profiles = readdirSync(RESULTS_DIR)
    .filter((name) => /^profile-.+\.md$/.test(name))
    .sort()
    .map((name) => `bench/results/${name}`);
  writeFileSync(markdown, renderBenchmarksMarkdown(report, profiles));
  formatGenerated([json, markdown]);
  log('wrote BENCHMARKS.md, bench/results/latest.json, bench/results/overhead-ratios.svg');
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (options.renderOnly) {
    const saved = JSON.parse(readFileSync(join(RESULTS_DIR, 'latest.json'), 'utf8')) as BenchReport;
    // Re-derive what is computed from raw readings, so a change to the summaries applies to saved runs.
    saved.soak = saved.soak.map((s) => summarizeSoak(s.system, s.variant, s.workload, s.points));
    writeOutputs(saved);
    return;
  }
  const scratch = mkdtempSync(join(tmpdir(), 'otel-mq-bench-'));
  try {
    if (options.profile) {
      await profile(options.profile, options, scratch);
      return;
    }
    const began = Date.now();
    const loadStart = loadavg();
    const jobsPerRound = SAMPLINGS.length * options.configs.length * VARIANTS.length;
    // Topic indices count every worker (all systems, rounds and soaks): both Kafka systems take theirs from one sequence.
    const kafkaJobs = options.systems.length * (options.rounds * jobsPerRound + VARIANTS.length) + 4;
    const brokers = await startBrokers(options.systems, kafkaJobs, options.sqsEmulator);
    const failures: string[] = [];
    const micro = await runMicroChild<MicroResult>('micro.ts', scratch, options.quick);
    const sdkFloor = await runMicroChild<FloorResult>('sdk-floor.ts', scratch, options.quick);
    log(`micro-benchmarks done (${micro.length} carrier, ${sdkFloor.length} SDK floor results)`);
    // rounds[system][sampling][workloadIndex] = per-round samples
    const collected = new Map<string, RoundSamples>();
    const workloadNames = new Map<string, string>();
    try {
      for (let round = 0; round < options.rounds; round++) {
        for (const system of options.systems) {
          for (const sampling of SAMPLINGS) {
            for (const config of options.configs) {
              for (const variant of VARIANTS) {
                const result = await runWorker(
                  {
                    system,
                    variant,
                    sampling,
                    brokers: brokers.addresses,
                    sizes: sizesFor(system, options.quick),
                    warmupFraction: 0.2,
                    metrics: config === 'metrics',
                  },
                  scratch,
                );
                if (!result) {
                  failures.push(`round ${round + 1}: ${system} ${variant} ${sampling} ${config} failed`);
                  continue;
                }
                result.workloads.forEach((workload, index) => {
                  const key = `${system}|${index}|${sampling}|${config}`;
                  workloadNames.set(key, workload.name);
                  const rounds = collected.get(key) ?? [];
                  while (rounds.length <= round) rounds.push({});
                  (rounds[round] as Partial<Record<Variant, typeof workload.sample>>)[variant] = workload.sample;
                  collected.set(key, rounds);
                });
                log(
                  `round ${round + 1}/${options.rounds} ${system} ${sampling} ${config} ${variant}: ` +
                    result.workloads.map((w) => `${w.name} ${w.sample.cpuUsPerMsg.toFixed(1)} µs/msg`).join(', '),
                );
              }
            }
          }
        }
      }
      const soak: SoakSummary[] = [];
      for (const system of options.configs.includes('metrics') ? options.systems : []) {
        for (const variant of ['uninstrumented', 'ours'] as const) {
          const { chunk, chunks } = FULL_SOAK[system];
          const sizes = sizesFor(system, options.quick).map(() => (options.quick ? Math.round(chunk / 10) : chunk));
          const result = await runWorker(
            {
              system,
              variant,
              sampling: 'always-on',
              brokers: brokers.addresses,
              sizes,
              warmupFraction: 0.2,
              metrics: true,
              soakChunks: options.quick ? 3 : chunks,
            },
            scratch,
          );
          const points = result?.soak;
          if (!points || points.length < 3) {
            failures.push(`soak ${system} ${variant} failed`);
            continue;
          }
          const summary = summarizeSoak(system, variant, result.soakWorkload ?? '?', points);
          soak.push(summary);
          log(
            `soak ${system} ${variant}: ${summary.messages} messages, ${summary.bytesPerMessage.toFixed(2)} bytes/msg`,
          );
        }
      }
      const cells = [...collected.entries()].map(([key, rounds]) => {
        const [system, , sampling, config] = key.split('|') as [string, string, string, BenchConfig];
        return summarizeCell(system, workloadNames.get(key) ?? '?', sampling, rounds, config);
      });
      const report: BenchReport = {
        date: new Date().toISOString(),
        quick: options.quick,
        rounds: options.rounds,
        durationSeconds: Math.round((Date.now() - began) / 1000),
        machine: {
          cpus: cpus().length,
          cpuModel: cpus()[0]?.model ?? 'unknown',
          node: process.version,
          loadAverage: [...loadStart, ...loadavg()].map((v) => Math.round(v * 100) / 100),
          sqsEmulator: options.sqsEmulator,
        },
        versions: Object.fromEntries(VERSIONED_PACKAGES.map((name) => [name, packageVersion(name)])),
        cells,
        soak,
        micro,
        sdkFloor,
        failures,
      };
      if (!options.configs.includes('metrics'))
        process.stdout.write(`Tracing only (--no-metrics):\n\n${renderResultsTable(cells)}\n`);
      else if (options.write) writeOutputs(report);
      else process.stdout.write(JSON.stringify(report, null, 2) + '\n');
      log(`done in ${report.durationSeconds} s${failures.length ? `, ${failures.length} failure(s)` : ''}`);
    } finally {
      await brokers.stop();
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

await main();
