// kafkajs workloads against the broker(s) in `brokers`: awaited single sends,
// sends of 100 messages, and batched produce + eachMessage consume end to end.
import { createRequire } from 'node:module';
import type * as KafkaJs from 'kafkajs';
import type { Consumer, Kafka as KafkaClient, Message } from 'kafkajs';
import { chunkSizes, PAYLOAD, waitForCount } from './types.ts';
import type { SystemHarness } from './types.ts';

const require = createRequire(import.meta.url);
export const KAFKA_BATCH_SIZE = 100;

function messages(count: number, offset: number): Message[] {
  // Fresh objects per send, as applications build them (upstream writes into message.headers).
  return Array.from({ length: count }, (_, i) => ({
    key: `key-${(offset + i) % 64}`,
    value: PAYLOAD,
    headers: { 'app-id': 'bench' },
  }));
}

export interface KafkaTopics {
  /** produce-only workloads write here */
  produce: string;
  /** the end-to-end workload produces and consumes here, with a fresh consumer group */
  e2e: string;
}

export async function kafkajsHarness(brokers: string[], topics: KafkaTopics): Promise<SystemHarness> {
  const { Kafka, logLevel } = require('kafkajs') as typeof KafkaJs;
  const kafka: KafkaClient = new Kafka({ clientId: 'otel-mq-bench', brokers, logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();

  let consumed = 0;
  const consumer: Consumer = kafka.consumer({
    groupId: `bench-${process.pid}-${Date.now()}`,
    maxWaitTimeInMs: 100,
    sessionTimeout: 10_000,
    heartbeatInterval: 1_000,
  });
  // The group join takes ~3 s on the mock; it happens while the produce workloads run.
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.connect();
  await consumer.subscribe({ topic: topics.e2e, fromBeginning: true });
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
          await joined;
          const target = consumed + n;
          for (const size of chunkSizes(n, KAFKA_BATCH_SIZE)) {
            await producer.send({ topic: topics.e2e, messages: messages(size, sent) });
            sent += size;
          }
          await waitForCount(() => consumed, target, 120_000, 'kafkajs consume');
        },
      },
    ],
    async close() {
      await Promise.allSettled([consumer.disconnect(), producer.disconnect()]);
    },
  };
}
