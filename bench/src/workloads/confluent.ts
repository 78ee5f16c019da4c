// @confluentinc/kafka-javascript workloads through its KafkaJS-compatible API,
// against the same broker(s) as the kafkajs system: awaited single sends,
// sends of 100 messages, and batched produce + eachMessage consume end to end.
import { createRequire } from 'node:module';
import type * as ConfluentKafka from '@confluentinc/kafka-javascript';
import type { KafkaJS } from '@confluentinc/kafka-javascript';
import { KAFKA_BATCH_SIZE } from './kafkajs.ts';
import type { KafkaTopics } from './kafkajs.ts';
import { chunkSizes, PAYLOAD, waitForCount } from './types.ts';
import type { SystemHarness } from './types.ts';

const require = createRequire(import.meta.url);

function messages(count: number, offset: number): KafkaJS.Message[] {
  // Fresh objects per send, as applications build them.
  return Array.from({ length: count }, (_, i) => ({
    key: `key-${(offset + i) % 64}`,
    value: PAYLOAD,
    headers: { 'app-id': 'bench' },
  }));
}

export async function confluentHarness(brokers: string[], topics: KafkaTopics): Promise<SystemHarness> {
  const { KafkaJS: Compat } = require('@confluentinc/kafka-javascript') as typeof ConfluentKafka;
  const kafka = new Compat.Kafka({
    kafkaJS: { clientId: 'otel-mq-bench', brokers, logLevel: Compat.logLevel.NOTHING },
  });
  const producer = kafka.producer({ kafkaJS: { allowAutoTopicCreation: false } });
  await producer.connect();

  let consumed = 0;
  const consumer = kafka.consumer({
    kafkaJS: { groupId: `bench-${process.pid}-${Date.now()}`, fromBeginning: true },
    // The mock broker: fetch often, join fast (as the e2e fixtures do).
    'fetch.wait.max.ms': 50,
    'session.timeout.ms': 6000,
    'heartbeat.interval.ms': 500,
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [topics.e2e] });
  // The compat layer has no GROUP_JOIN event; the group join (~3 s on the mock)
  // happens during the warm-up of the end-to-end workload, outside the timed region.
  await consumer.run({
    eachMessage: () => {
      consumed++;
      return Promise.resolve();
    },
  });

  let sent = 0;
  return {
    workloads: [
      {
        name: 'produce single',
        async run(n) {
          for (let i = 0; i < n; i++) await producer.send({ topic: topics.produce, messages: messages(1, i) });
        },
      },
      {
        name: `produce batch ${KAFKA_BATCH_SIZE}`,
        async run(n) {
          for (const size of chunkSizes(n, KAFKA_BATCH_SIZE))
            await producer.send({ topic: topics.produce, messages: messages(size, 0) });
        },
      },
      {
        name: `produce ${KAFKA_BATCH_SIZE} + consume`,
        async run(n) {
          const target = consumed + n;
          for (const size of chunkSizes(n, KAFKA_BATCH_SIZE)) {
            await producer.send({ topic: topics.e2e, messages: messages(size, sent) });
            sent += size;
          }
          await waitForCount(() => consumed, target, 120_000, 'confluent-kafka consume');
        },
      },
    ],
    async close() {
      await Promise.allSettled([consumer.disconnect(), producer.disconnect()]);
    },
  };
}
