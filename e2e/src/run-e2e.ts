// Runs the e2e suite: starts every broker once (in parallel, loopback only),
// hands their addresses to the test files through the environment, runs
// `node --test` over test/*.test.ts, and stops every broker whatever happened.
// Usage: node src/run-e2e.ts [--json-out FILE] [test files...]
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { startKafka } from './brokers/kafka.ts';
import type { RunningKafka } from './brokers/kafka.ts';
import { startRabbitMq } from './brokers/rabbitmq.ts';
import type { RunningRabbitMq } from './brokers/rabbitmq.ts';
import { startFauxqs, startLocalAwsSqs } from './brokers/sqs.ts';
import type { RunningSqs } from './brokers/sqs.ts';
import { KAFKA_TOPICS } from './environment.ts';
import { E2E_DIR } from './fixture.ts';

type Stoppable = { stop(): Promise<void> };

function parseArgs(argv: string[]): { jsonOut: string | undefined; files: string[] } {
  const files: string[] = [];
  let jsonOut: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--json-out') jsonOut = argv[++i];
    else files.push(argv[i] as string);
  }
  return { jsonOut, files };
}

function log(message: string): void {
  process.stderr.write(`[e2e] ${message}\n`);
}

async function timed<T>(name: string, start: () => Promise<T>): Promise<T> {
  const began = Date.now();
  const value = await start();
  log(`${name} ready in ${((Date.now() - began) / 1000).toFixed(1)} s`);
  return value;
}

async function main(): Promise<number> {
  const { jsonOut, files } = parseArgs(process.argv.slice(2));
  const started: Stoppable[] = [];
  const keep = <T extends Stoppable>(broker: T): T => (started.push(broker), broker);
  try {
    const results = await Promise.allSettled([
      timed('RabbitMQ', () => startRabbitMq()).then(keep),
      timed('Kafka', () => startKafka({ topics: KAFKA_TOPICS.map((topic) => ({ ...topic })) })).then(keep),
      timed('fauxqs', () => startFauxqs()).then(keep),
      timed('local-aws-sqs', () => startLocalAwsSqs()).then(keep),
    ]);
    const failures = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failures.length > 0) {
      for (const failure of failures) log(`a broker could not start: ${String(failure.reason)}`);
      return 1;
    }
    const [rabbit, kafka, fauxqs, localSqs] = results.map(
      (result) => (result as PromiseFulfilledResult<unknown>).value,
    ) as [RunningRabbitMq, RunningKafka, RunningSqs, RunningSqs];
    const env = {
      ...process.env,
      E2E_RABBITMQ_URL: rabbit.url,
      E2E_KAFKA_BROKERS: kafka.brokers.join(','),
      E2E_FAUXQS_ENDPOINT: fauxqs.endpoint,
      E2E_LOCAL_AWS_SQS_ENDPOINT: localSqs.endpoint,
      E2E_SQS_REGION: fauxqs.region,
    };
    const reporters = ['--test-reporter=spec', '--test-reporter-destination=stdout'];
    if (jsonOut)
      reporters.push(
        `--test-reporter=${join(E2E_DIR, 'src', 'json-reporter.mjs')}`,
        `--test-reporter-destination=${jsonOut}`,
      );
    const args = [
      '--test',
      '--test-timeout=120000',
      ...reporters,
      ...(files.length > 0 ? files : ['test/**/*.test.ts']),
    ];
    return await new Promise<number>((resolve) => {
      const child = spawn(process.execPath, args, { cwd: E2E_DIR, env, stdio: 'inherit' });
      child.once('close', (code) => resolve(code ?? 1));
    });
  } finally {
    await Promise.allSettled(started.map((broker) => broker.stop()));
    log('brokers stopped');
  }
}

process.exitCode = await main();
