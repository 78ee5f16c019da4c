// Bounded soak (`pnpm run soak`, not part of `npm test`): a long stream of messages
// per system through a real broker, in a process started with the register entry
// and --expose-gc, exporting its spans over OTLP to a sink that discards them.
// Samples the heap after forced GC and the active handles every tenth of the way,
// writes SOAK.md at the repository root, and exits 1 when the heap grows past the bound.
// Usage: node src/soak.ts [messages per system] (SOAK_SQS_MESSAGES overrides SQS's).
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startKafkaMock } from './brokers/kafka.ts';
import { startRabbitMq } from './brokers/rabbitmq.ts';
import { startLocalAwsSqs } from './brokers/sqs.ts';
import { E2E_DIR, FIXTURES_DIR } from './fixture.ts';
import { outputTail, runNode } from './node-process.ts';

/**
 * The bound: the heap after GC at the end may exceed the heap at the first tenth by
 * at most this much. A leak of one small object per message (a span, a map entry,
 * ~100 bytes) over 200,000 messages is 20 MB: far past it.
 */
export const HEAP_GROWTH_BOUND_BYTES = 8 * 1024 * 1024;
/** Active handles at the end may exceed those at the first tenth by at most this many. */
export const HANDLE_GROWTH_BOUND = 2;

export interface SoakSample {
  at: number;
  heapUsed: number;
  handles: number;
  resources: Record<string, number>;
}

export interface SoakResult {
  system: string;
  messages: number;
  seconds: number;
  baseline: SoakSample;
  samples: SoakSample[];
  closed: SoakSample;
}

/** Runs the soak fixture in its own process; resolves with its RESULT line. */
export async function runSoakApp(
  system: 'kafka' | 'rabbitmq' | 'sqs',
  messages: number,
  env: Record<string, string>,
  timeoutMs: number,
): Promise<SoakResult> {
  const run = await runNode({
    args: [
      '--expose-gc',
      '--require',
      '@org/otel-mq/register',
      join(FIXTURES_DIR, 'soak-app.cjs'),
      system,
      String(messages),
    ],
    cwd: E2E_DIR,
    timeoutMs,
    maxStderrChars: 8000,
    env: {
      ...process.env,
      OTEL_SERVICE_NAME: `soak-${system}`,
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
      ...env,
    },
  });
  if (run.code !== 0 || run.result === undefined)
    throw new Error(`soak ${system} exited with ${run.code ?? run.signal}${outputTail(run.stdout, run.stderr)}`);
  return run.result as SoakResult;
}

/** An OTLP/HTTP endpoint that accepts and discards everything (decoding 400,000 spans is not what is measured). */
export async function startOtlpSink(): Promise<{ endpoint: string; requests: () => number; close(): Promise<void> }> {
  let requests = 0;
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      requests++;
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests: () => requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Heap growth and handle growth between the first tenth and the end, and whether they are within the bounds. */
export function judge(result: SoakResult): { heapGrowth: number; handleGrowth: number; ok: boolean } {
  const first = result.samples[0] ?? result.baseline;
  const last = result.samples[result.samples.length - 1] ?? result.closed;
  const heapGrowth = last.heapUsed - first.heapUsed;
  const handleGrowth = last.handles - first.handles;
  return {
    heapGrowth,
    handleGrowth,
    ok: heapGrowth <= HEAP_GROWTH_BOUND_BYTES && handleGrowth <= HANDLE_GROWTH_BOUND,
  };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function table(results: SoakResult[]): string {
  const rows = results.map((result) => {
    const at = (fraction: number) => result.samples[Math.max(0, Math.round(fraction * result.samples.length) - 1)];
    const verdict = judge(result);
    const handles = `${at(0.1)?.handles} → ${at(1)?.handles} (closed: ${result.closed.handles})`;
    return `| ${result.system} | ${result.messages.toLocaleString('en-US')} | ${Math.round(result.messages / result.seconds).toLocaleString('en-US')} | ${mb(at(0.1)?.heapUsed ?? 0)} | ${mb(at(0.5)?.heapUsed ?? 0)} | ${mb(at(1)?.heapUsed ?? 0)} | ${verdict.heapGrowth >= 0 ? '+' : ''}${mb(verdict.heapGrowth)} | ${handles} | ${verdict.ok ? 'flat' : '**GREW**'} |`;
  });
  return [
    '| system | messages | msgs/s | heap at 10% | heap at 50% | heap at 100% | growth 10%→100% | active handles 10% → 100% | verdict |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

async function main(): Promise<number> {
  const perSystem = Number(process.argv[2] ?? 200_000);
  const sqsMessages = Number(process.env.SOAK_SQS_MESSAGES ?? perSystem);
  const log = (message: string) => process.stderr.write(`[soak] ${message}\n`);
  const topic = 'soak';
  const [sink, rabbit, kafka, sqs] = await Promise.all([
    startOtlpSink(),
    startRabbitMq(),
    startKafkaMock({ topics: [{ name: topic, partitions: 1 }] }),
    startLocalAwsSqs(),
  ]);
  const results: SoakResult[] = [];
  try {
    const env = {
      OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint,
      E2E_RABBITMQ_URL: rabbit.url,
      E2E_KAFKA_BROKERS: kafka.brokers.join(','),
      E2E_KAFKA_TOPIC: topic,
      E2E_SQS_ENDPOINT: sqs.endpoint,
      E2E_SQS_REGION: sqs.region,
    };
    for (const [system, messages] of [
      ['kafka', perSystem],
      ['rabbitmq', perSystem],
      ['sqs', sqsMessages],
    ] as const) {
      log(`${system}: ${messages} messages…`);
      const result = await runSoakApp(system, messages, env, 30 * 60_000);
      log(
        `${system}: ${Math.round(result.messages / result.seconds)} msgs/s, heap growth ${mb(judge(result).heapGrowth)}`,
      );
      results.push(result);
    }
  } finally {
    await Promise.allSettled([sink.close(), rabbit.stop(), kafka.stop(), sqs.stop()]);
  }
  const ok = results.every((result) => judge(result).ok);
  const markdown = `# Soak

\`pnpm run soak\` (\`e2e/src/soak.ts\`, not part of \`npm test\`) streams messages through each real
broker (RabbitMQ 3.10, librdkafka's mock cluster, local-aws-sqs) in a process started with
\`node --expose-gc --require @org/otel-mq/register\`, producing and consuming at once: kafkajs
\`send\` of 100 messages and \`eachMessage\`; amqplib \`sendToQueue\` and \`consume\` with a manual
\`ack\`; SQS \`SendMessageBatch\` of 10, \`ReceiveMessage\` of 10, \`processSqsMessage\` per
message, \`DeleteMessageBatch\`. Every span is exported over OTLP/HTTP (batch processor,
default settings) to a local sink that discards it (${sink.requests()} export requests).

Every tenth of the way the app forces a full GC and samples \`process.memoryUsage().heapUsed\`
and \`process.getActiveResourcesInfo()\`. The soak fails when, from the first tenth to the end,
the heap grows by more than ${mb(HEAP_GROWTH_BOUND_BYTES)} (a leak of ~100 bytes per message
would be ~20 MB over 200,000 messages) or the active handles by more than ${HANDLE_GROWTH_BOUND}.
"closed" is the count after the clients were closed, at the end.

${sqsMessages === perSystem ? '' : `SQS ran ${sqsMessages.toLocaleString('en-US')} messages (\`SOAK_SQS_MESSAGES\`): the emulator's round trips bound it to a few hundred messages a second, so ${perSystem.toLocaleString('en-US')} would take minutes more without telling more.\n\n`}Run on ${new Date().toISOString().slice(0, 10)}, Node ${process.versions.node}, ${process.platform}/${process.arch}:

${table(results)}

Active resources at the end, per system (before closing the clients):

${results.map((result) => `- ${result.system}: ${JSON.stringify(result.samples[result.samples.length - 1]?.resources)}; after closing: ${JSON.stringify(result.closed.resources)}`).join('\n')}

Heap after GC at each tenth (MB):

${results.map((result) => `- ${result.system}: ${result.samples.map((sample) => (sample.heapUsed / 1024 / 1024).toFixed(1)).join(', ')}`).join('\n')}
`;
  const soakFile = join(E2E_DIR, '..', 'SOAK.md');
  writeFileSync(soakFile, markdown);
  // Formatted as the repository's prettier check expects (the tables' column widths).
  const prettier = join(E2E_DIR, '..', 'node_modules', 'prettier', 'bin', 'prettier.cjs');
  if (existsSync(prettier)) spawnSync(process.execPath, [prettier, '--write', '--log-level=warn', soakFile]);
  log(`wrote SOAK.md: ${ok ? 'flat' : 'GREW'}`);
  return ok ? 0 : 1;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exitCode = await main();
