// One benchmark process: installs one variant (uninstrumented, upstream or
// ours) for one system, runs that system's workloads in order, and writes what
// it measured as JSON to the file named in the job. Run by run-bench.ts as
// `node --expose-gc src/worker.ts` with the job in BENCH_JOB.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { GCProfiler, getHeapStatistics } from 'node:v8';
import type * as AwsSqs from '@org/instrumentation-aws-sqs';
import type { Sample } from './stats.ts';
import { installVariant } from './telemetry.ts';
import type { Sampling, SystemName } from './telemetry.ts';
import { amqplibHarness } from './workloads/amqplib.ts';
import { confluentHarness } from './workloads/confluent.ts';
import { kafkajsHarness } from './workloads/kafkajs.ts';
import type { KafkaTopics } from './workloads/kafkajs.ts';
import { sqsHarness } from './workloads/sqs.ts';
import type { ProcessMessage } from './workloads/sqs.ts';
import type { BrokerAddresses, SystemHarness, Workload } from './workloads/types.ts';

export interface WorkerJob {
  system: SystemName;
  variant: string;
  sampling: Sampling;
  brokers: BrokerAddresses;
  kafkaTopics: KafkaTopics;
  /** messages per workload, by workload index; 0 skips the workload */
  sizes: number[];
  /** false: no MeterProvider, so metric calls are the API's no-ops */
  metrics: boolean;
  /** messages moved before measuring (JIT, connections, lazy setup), as a fraction of the size */
  warmupFraction: number;
  /** soak mode: run the last workload in `soakChunks` chunks of `sizes[last]`, heap after GC after each */
  soakChunks?: number;
  out: string;
}

export interface WorkerResult {
  workloads: Array<{ name: string; n: number; sample: Sample }>;
  /** soak mode: heap after GC (bytes) against messages processed, and the workload soaked */
  soak?: Array<{ x: number; y: number }>;
  soakWorkload?: string;
  spansEnded: number;
}

const gc = (globalThis as { gc?: () => void }).gc;
function collect(): void {
  if (!gc) throw new Error('run the worker with --expose-gc');
  gc();
  gc();
}

/**
 * Bytes allocated on the JS heap while `run` runs: V8 keeps no running total, so
 * it is the growth of the used heap between collections, summed over the
 * collections the GC profiler saw (before one minus after the previous), plus
 * the growth since the last one.
 */
async function allocatedDuring(run: () => Promise<void>): Promise<number> {
  const profiler = new GCProfiler();
  const startUsed = getHeapStatistics().used_heap_size;
  profiler.start();
  await run();
  const endUsed = getHeapStatistics().used_heap_size;
  const collections = profiler.stop()?.statistics ?? [];
  let allocated = 0;
  let previousAfter = startUsed;
  for (const gc of collections) {
    allocated += Math.max(0, gc.beforeGC.heapStatistics.usedHeapSize - previousAfter);
    previousAfter = gc.afterGC.heapStatistics.usedHeapSize;
  }
  return allocated + Math.max(0, endUsed - previousAfter);
}

async function measure(workload: Workload, n: number, warmup: number): Promise<Sample> {
  if (warmup > 0) await workload.run(warmup);
  await workload.reset?.();
  collect();
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  const allocated = await allocatedDuring(() => workload.run(n));
  const wallMs = performance.now() - wallStart;
  const cpu = process.cpuUsage(cpuStart);
  const heapUsed = process.memoryUsage().heapUsed;
  collect();
  const heapAfterGc = process.memoryUsage().heapUsed;
  await workload.reset?.();
  return {
    cpuUsPerMsg: (cpu.user + cpu.system) / n,
    msgsPerSec: (n * 1000) / wallMs,
    heapUsed,
    heapAfterGc,
    bytesPerMsg: allocated / n,
  };
}

function processMessageFor(variant: string): ProcessMessage {
  if (variant !== 'ours') return (_message, work) => work();
  const require = createRequire(import.meta.url);
  const { processSqsMessage } = require('@org/instrumentation-aws-sqs') as typeof AwsSqs;
  return (message, work) => processSqsMessage(message, work);
}

function harness(job: WorkerJob): Promise<SystemHarness> {
  switch (job.system) {
    case 'kafkajs':
      return kafkajsHarness(job.brokers.kafkaBrokers, job.kafkaTopics);
    case 'confluent-kafka':
      return confluentHarness(job.brokers.kafkaBrokers, job.kafkaTopics);
    case 'amqplib':
      return amqplibHarness(job.brokers.rabbitMqUrl);
    case 'sqs':
      return sqsHarness(
        job.brokers.sqsEndpoint,
        job.brokers.sqsRegion,
        job.brokers.snsEndpoint,
        processMessageFor(job.variant),
      );
  }
}

async function main(): Promise<void> {
  const job = JSON.parse(process.env.BENCH_JOB ?? '') as WorkerJob;
  const installed = installVariant(job.system, job.variant, job.sampling, job.metrics);
  const system = await harness(job);
  const result: WorkerResult = { workloads: [], spansEnded: 0 };
  try {
    if (job.soakChunks) {
      const workload = system.workloads.at(-1) as Workload;
      const n = job.sizes.at(-1) as number;
      await workload.run(Math.ceil(n * job.warmupFraction));
      collect();
      result.soakWorkload = workload.name;
      result.soak = [{ x: 0, y: process.memoryUsage().heapUsed }];
      for (let chunk = 1; chunk <= job.soakChunks; chunk++) {
        await workload.run(n);
        collect();
        result.soak.push({ x: chunk * n, y: process.memoryUsage().heapUsed });
      }
    } else {
      for (const [index, workload] of system.workloads.entries()) {
        const n = job.sizes[index] ?? 0;
        if (n <= 0 || workload.unavailable) continue;
        const sample = await measure(workload, n, Math.ceil(n * job.warmupFraction));
        result.workloads.push({ name: workload.name, n, sample });
      }
    }
  } finally {
    await system.close();
  }
  result.spansEnded = installed.spansEnded();
  writeFileSync(job.out, JSON.stringify(result));
}

await main();
// Clients may leave timers (kafkajs reconnects, SDK keep-alive agents); the job is done.
process.exit(0);
