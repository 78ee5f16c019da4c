// sqs-consumer workload: batches of 10 sent with the SDK client, then drained by
// an sqs-consumer `Consumer` whose handleMessage does nothing, so only the
// library's, the client's and the instrumentation's cost is measured.
import { createRequire } from 'node:module';
import type * as ClientSqs from '@aws-sdk/client-sqs';
import type * as SqsConsumer from 'sqs-consumer';
import { waitForCount } from './types.ts';
import type { Workload } from './types.ts';

const require = createRequire(import.meta.url);

/** `send` fills the queue; each run starts a Consumer, waits until it handled n messages, and stops it. */
export function sqsConsumerWorkload(
  client: ClientSqs.SQSClient,
  queueUrl: string,
  send: (queueUrl: string, n: number) => Promise<void>,
): Workload {
  const { Consumer } = require('sqs-consumer') as typeof SqsConsumer;
  return {
    name: 'send 10 + sqs-consumer handleMessage',
    async run(n) {
      await send(queueUrl, n);
      let handled = 0;
      const consumer = Consumer.create({
        queueUrl,
        sqs: client,
        batchSize: 10,
        waitTimeSeconds: 0,
        pollingWaitTimeMs: 0,
        handleMessage: (message) => Promise.resolve(message),
      });
      // After the message's delete: the whole cycle a consumer pays per message.
      consumer.on('message_processed', () => handled++);
      const stopped = new Promise<void>((resolve) => consumer.once('stopped', () => resolve()));
      consumer.start();
      try {
        await waitForCount(() => handled, n, 120_000, 'sqs-consumer');
      } finally {
        consumer.stop();
        await stopped;
      }
    },
  };
}
