// Consumer handlers that throw, reject, or never settle, for each system: the
// application sees exactly what it sees without us (compared with an uninstrumented
// run), every process span we started is ended (with error status where the
// failure reaches us), the process exits on its own once its clients are closed,
// and a process ended by SIGTERM with spans still buffered delivers them first.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { brokersFromEnv } from '../src/environment.ts';
import { runFixture } from '../src/fixture.ts';
import type { FixtureResult } from '../src/fixture.ts';
import { startOtlpReceiver } from '../src/otlp/receiver.ts';
import type { OtlpReceiver } from '../src/otlp/receiver.ts';
import { expectEnded, renderTree, spansNamed } from '../src/otlp/trace-assertions.ts';

type System = 'kafka' | 'rabbitmq' | 'sqs';
interface Result {
  destination: string;
  handled: string[];
  problems: string[];
}

/**
 * Process spans ended with an error: kafkajs' handler and processSqsMessage's work
 * throw and reject into the plugin; amqplib's synchronous throw is caught by the
 * application (amqplib would break the connection), its rejection reaches the
 * plugin, and its never-settling handler's span is ended when the channel closes;
 * processSqsMessage's never-settling work is ended at exit.
 */
const EXPECTED_ERRORS: Record<System, number> = { kafka: 2, rabbitmq: 2, sqs: 3 };
/**
 * Spans of handlers that never settle: amqplib ends them when the channel closes;
 * kafkajs (eachMessage) and SQS (processSqsMessage) are ended by the plugins'
 * sweep at exit when the process is about to end (the event loop ran dry, or a
 * signal it re-raises), as errors of type HandlerUnsettledAtExitError. kafkajs' own
 * disconnect waits for a hanging handler, so only its SIGTERM case has one.
 */
const NEVER_ENDED: Record<System, number> = { kafka: 0, rabbitmq: 0, sqs: 0 };
const NEVER_ENDED_ON_SIGTERM: Record<System, number> = { kafka: 0, rabbitmq: 0, sqs: 0 };

describe('faults: consumer handlers that throw, reject or never settle', () => {
  const brokers = brokersFromEnv();
  let receiver: OtlpReceiver;
  before(async () => {
    receiver = await startOtlpReceiver();
  });
  after(async () => {
    await receiver.close();
  });

  const env = {
    E2E_KAFKA_TOPIC: 'e2e-retry',
    E2E_SQS_ENDPOINT: brokers.sqs['local-aws-sqs'],
    E2E_SQS_REGION: brokers.sqs.region,
  };

  for (const system of ['rabbitmq', 'sqs', 'kafka'] as const) {
    it(`${system}: same outcome as uninstrumented, spans ended, exits on its own`, async () => {
      receiver.clear();
      const plain = await runFixture('faults-handlers.cjs', 'cjs', {
        receiver,
        register: false,
        args: [system, 'exit'],
        env,
        timeoutMs: 30_000,
      });
      const traced = await runFixture('faults-handlers.cjs', 'cjs', {
        receiver,
        args: [system, 'exit'],
        env: { ...env, OTEL_BSP_SCHEDULE_DELAY: '60000' },
        timeoutMs: 30_000,
      });
      for (const run of [plain, traced]) assert.equal(run.code, 0, `exited on its own with 0\n${run.stderr}`);
      const [a, b] = [plain.result as Result, traced.result as Result];
      assert.deepEqual(b.handled.slice().sort(), a.handled.slice().sort());
      assert.deepEqual(b.problems.slice().sort(), a.problems.slice().sort(), 'the same errors reach the application');
      assert.doesNotMatch(traced.stderr, /otel-mq/);

      const spans = receiver.spans();
      const processes = spansNamed(spans, `process ${b.destination}`);
      assert.ok(
        processes.length >= b.handled.length - NEVER_ENDED[system],
        `a process span per delivery\n${renderTree(spans)}`,
      );
      for (const span of processes) expectEnded(span);
      const failed = processes.filter((span) => span.status.code === 'ERROR');
      assert.equal(failed.length, EXPECTED_ERRORS[system], renderTree(processes));
      for (const span of failed) assert.ok(span.attributes['error.type'], 'error.type recorded');
    });
  }

  for (const system of ['rabbitmq', 'sqs', 'kafka'] as const) {
    it(`${system}: SIGTERM with spans still buffered flushes them, and the process ends by the signal`, async () => {
      receiver.clear();
      let signalled = false;
      const run: FixtureResult = await runFixture('faults-handlers.cjs', 'cjs', {
        receiver,
        args: [system, 'sigterm'],
        env: { ...env, OTEL_BSP_SCHEDULE_DELAY: '600000' },
        timeoutMs: 30_000,
        onStarted: (pid, output) => {
          const poll = setInterval(() => {
            if (!signalled && output.stdout().includes('READY')) {
              signalled = true;
              clearInterval(poll);
              process.kill(pid, 'SIGTERM');
            }
          }, 20);
        },
      });
      assert.equal(run.signal, 'SIGTERM', `ended by SIGTERM, got code ${run.code}\n${run.stderr}`);
      const result = run.result as Result;
      // This run's messages: in the trace of a producer span it sent (the Kafka topic holds earlier ones too).
      const sentTraces = new Set(
        receiver
          .spans()
          .filter((span) => span.kind === 'PRODUCER')
          .map((span) => span.traceId),
      );
      const processes = spansNamed(receiver.spans(), `process ${result.destination}`).filter((span) =>
        sentTraces.has(span.traceId),
      );
      assert.equal(result.handled.length, 3, 'throw, reject and hang handled');
      // Messages with a process span (kafkajs redelivers a failed one: a span per attempt).
      const messages = new Set(
        processes.map((span) =>
          JSON.stringify([
            span.attributes['kafka.offset'],
            span.attributes['messaging.message.id'],
            span.attributes['rabbitmq.message.delivery_tag'],
          ]),
        ),
      );
      assert.equal(messages.size, result.handled.length - NEVER_ENDED_ON_SIGTERM[system], renderTree(processes));
      for (const span of processes) expectEnded(span);
    });
  }
});
