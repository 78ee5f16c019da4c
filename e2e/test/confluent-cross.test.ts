// kafkajs and Confluent's client in one system: a kafkajs producer's message
// consumed by a Confluent consumer, and a Confluent producer's consumed by
// kafkajs, each in its own process under the register entry, give one connected
// trace (both plugins carry the context the same way, through the same code).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { brokersFromEnv } from '../src/environment.ts';
import { runFixtureOk } from '../src/fixture.ts';
import { startOtlpReceiver } from '../src/otlp/receiver.ts';
import type { OtlpReceiver } from '../src/otlp/receiver.ts';
import { expectChildOf, expectLinkedTo, findSpan, renderTree } from '../src/otlp/trace-assertions.ts';

const brokers = brokersFromEnv();
const topic = 'e2e-confluent-cross';

describe('kafkajs ⇄ confluent-kafka', () => {
  let receiver: OtlpReceiver;
  before(async () => {
    receiver = await startOtlpReceiver();
  });
  after(async () => {
    await receiver.close();
  });

  const side = (client: 'kafkajs' | 'confluent', scenario: 'produce' | 'consume', run: string) =>
    runFixtureOk(client === 'kafkajs' ? 'confluent-cross-kafkajs.cjs' : 'confluent-scenarios.cjs', 'cjs', {
      receiver,
      args: [client === 'confluent' && scenario === 'consume' ? 'foreign' : scenario],
      env: { E2E_KAFKA_BROKERS: brokers.kafkaBrokers, E2E_RUN: run, E2E_TOPIC: topic },
    });

  for (const [producer, consumer] of [
    ['kafkajs', 'confluent'],
    ['confluent', 'kafkajs'],
  ] as const) {
    it(`a ${producer} producer → a ${consumer} consumer: one connected trace`, async () => {
      receiver.clear();
      const run = randomUUID();
      await side(producer, 'produce', run);
      await side(consumer, 'consume', run);
      const spans = receiver.spans();
      const app = findSpan(spans, { name: `app ${producer} produce` });
      const send = findSpan(spans, { name: `send ${topic}`, kind: 'PRODUCER' });
      const handle = findSpan(spans, { name: 'app handle foreign' });
      const process = spans.find((span) => span.spanId === handle.parentSpanId);
      assert.ok(process, `the handler ran in a process span\n${renderTree(spans)}`);
      assert.equal(process.name, `process ${topic}`);
      expectChildOf(send, app);
      expectChildOf(process, send);
      expectLinkedTo(process, send);
      const scopes = { kafkajs: '@org/instrumentation-kafkajs', confluent: '@org/instrumentation-confluent-kafka' };
      assert.equal(send.scope.name, scopes[producer]);
      assert.equal(process.scope.name, scopes[consumer]);
    });
  }
});
