// The Kafka broker process killed mid-stream (a private librdkafka mock, SIGKILL):
// the application sees kafkajs' own errors, the same kinds as without us; every
// span we started is ended (failed sends with error status and error.type); and
// once the application disconnects, the process exits on its own.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startKafkaMock } from '../src/brokers/kafka.ts';
import type { RunningKafka } from '../src/brokers/kafka.ts';
import { runFixture } from '../src/fixture.ts';
import type { FixtureResult } from '../src/fixture.ts';
import { startOtlpReceiver } from '../src/otlp/receiver.ts';
import type { OtlpReceiver } from '../src/otlp/receiver.ts';
import { expectEnded, renderTree, spansNamed } from '../src/otlp/trace-assertions.ts';

const TOPIC = 'faults-kill';

interface Result {
  topic: string;
  sent: number;
  consumed: number;
  sendErrors: string[];
  crashErrors: string[];
  problems: string[];
}

describe('faults: the Kafka broker killed mid-stream', () => {
  let receiver: OtlpReceiver;
  const brokers: RunningKafka[] = [];
  before(async () => {
    receiver = await startOtlpReceiver();
  });
  after(async () => {
    await Promise.all([receiver.close(), ...brokers.map((broker) => broker.stop())]);
  });

  /** One run against its own broker, killed once messages flow. */
  async function runAgainstDoomedBroker(register: boolean): Promise<FixtureResult> {
    const broker = await startKafkaMock({ topics: [{ name: TOPIC, partitions: 1 }] });
    brokers.push(broker);
    let killing: Promise<void> | undefined;
    let poll: NodeJS.Timeout | undefined;
    const run = await runFixture('faults-kafka-kill.cjs', 'cjs', {
      receiver,
      register,
      env: { E2E_KAFKA_BROKERS: broker.brokers.join(','), E2E_KAFKA_TOPIC: TOPIC },
      timeoutMs: 60_000,
      onStarted: (_pid, output) => {
        poll = setInterval(() => {
          if (output.stdout().includes('STREAMING')) {
            clearInterval(poll);
            killing = broker.kill?.();
          }
        }, 20);
      },
    }).finally(() => clearInterval(poll));
    await killing;
    return run;
  }

  it('kafkajs errors only, as without us; spans ended; the process exits', async () => {
    const plain = await runAgainstDoomedBroker(false);
    receiver.clear();
    const traced = await runAgainstDoomedBroker(true);
    for (const run of [plain, traced]) assert.equal(run.code, 0, `exited on its own\n${run.stdout}\n${run.stderr}`);
    const [a, b] = [plain.result as Result, traced.result as Result];
    for (const result of [a, b]) {
      assert.deepEqual(result.problems, []);
      assert.equal(result.sendErrors.length, 3);
      for (const name of [...result.sendErrors, ...result.crashErrors]) assert.match(name, /^KafkaJS/);
    }
    assert.deepEqual(new Set(b.sendErrors), new Set(a.sendErrors), 'the same kinds of send errors as without us');
    assert.doesNotMatch(traced.stderr, /otel-mq/);

    const spans = receiver.spans();
    const sends = spansNamed(spans, `send ${TOPIC}`);
    assert.equal(sends.length, b.sent + b.sendErrors.length, `a send span per send call\n${renderTree(sends)}`);
    for (const span of sends) expectEnded(span);
    const failed = sends.filter((span) => span.status.code === 'ERROR');
    assert.equal(failed.length, b.sendErrors.length);
    for (const span of failed) assert.match(JSON.stringify(span.attributes['error.type']), /^"KafkaJS/);
    const processes = spansNamed(spans, `process ${TOPIC}`);
    assert.equal(processes.length, b.consumed);
    for (const span of processes) expectEnded(span);
  });
});
