// amqplib workloads against RabbitMQ: publishes (amqplib has no batch publish),
// and publish + consume with manual ack end to end.
import { once } from 'node:events';
import { createRequire } from 'node:module';
import type * as Amqplib from 'amqplib';
import type { Channel } from 'amqplib';
import { PAYLOAD, waitForCount } from './types.ts';
import type { SystemHarness } from './types.ts';

const require = createRequire(import.meta.url);
const BODY = Buffer.from(PAYLOAD);

/** Publishes n messages honouring back-pressure, then waits for the broker to have them all. */
async function publish(channel: Channel, queue: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const ok = channel.sendToQueue(queue, BODY, { contentType: 'text/plain', headers: { 'app-id': 'bench' } });
    if (!ok) await once(channel, 'drain');
  }
  // A synchronous RPC on the same channel returns only after the broker handled every earlier publish.
  await channel.checkQueue(queue);
}

export async function amqplibHarness(url: string): Promise<SystemHarness> {
  const amqp = require('amqplib') as typeof Amqplib;
  const connection = await amqp.connect(url);
  const publisher = await connection.createChannel();
  const consumerChannel = await connection.createChannel();
  const suffix = `${process.pid}-${Date.now()}`;
  const produceQueue = `bench-produce-${suffix}`;
  const e2eQueue = `bench-e2e-${suffix}`;
  await publisher.assertQueue(produceQueue, { exclusive: true });
  await publisher.assertQueue(e2eQueue, { exclusive: true });

  let consumed = 0;
  await consumerChannel.prefetch(200);
  await consumerChannel.consume(
    e2eQueue,
    (message) => {
      if (!message) return;
      consumerChannel.ack(message);
      consumed++;
    },
    { noAck: false },
  );

  return {
    workloads: [
      {
        name: 'publish',
        run: (n) => publish(publisher, produceQueue, n),
        async reset() {
          await publisher.purgeQueue(produceQueue);
        },
      },
      {
        name: 'publish + consume (ack)',
        async run(n) {
          const target = consumed + n;
          await publish(publisher, e2eQueue, n);
          await waitForCount(() => consumed, target, 120_000, 'amqplib consume');
        },
      },
    ],
    async close() {
      await connection.close().catch(() => undefined);
    },
  };
}
