// AWS SDK v3 SQS workloads against a local emulator: awaited SendMessage,
// SendMessageBatch of 10, SNS Publish fanning out to SQS (where the emulator has
// SNS), batched send drained by sqs-consumer, and batched send +
// ReceiveMessage/process/DeleteMessageBatch.
import { createRequire } from 'node:module';
import type * as ClientSqs from '@aws-sdk/client-sqs';
import type { Message, SQSClient as Client } from '@aws-sdk/client-sqs';
import { snsPublishWorkload } from './sns.ts';
import { sqsConsumerWorkload } from './sqs-consumer.ts';
import { chunkSizes, PAYLOAD } from './types.ts';
import type { SystemHarness, Workload } from './types.ts';

const require = createRequire(import.meta.url);
export const SQS_BATCH_SIZE = 10;
const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

/** How a consumer runs its per-message work: directly, or through our `processSqsMessage`. */
export type ProcessMessage = (message: Message, work: () => Promise<void>) => Promise<void>;

function attributes(): Record<string, { DataType: string; StringValue: string }> {
  return { 'app-id': { DataType: 'String', StringValue: 'bench' } };
}

/** `snsEndpoint` is empty when the emulator has no SNS: the SNS workload is then left out of the run. */
export async function sqsHarness(
  endpoint: string,
  region: string,
  snsEndpoint: string,
  processMessage: ProcessMessage,
): Promise<SystemHarness> {
  const sdk = require('@aws-sdk/client-sqs') as typeof ClientSqs;
  const client: Client = new sdk.SQSClient({ endpoint, region, credentials: CREDENTIALS });
  const suffix = `${process.pid}-${Date.now()}`;
  const createQueue = async (name: string): Promise<string> => {
    const { QueueUrl } = await client.send(new sdk.CreateQueueCommand({ QueueName: name }));
    if (!QueueUrl) throw new Error(`CreateQueue ${name} returned no QueueUrl`);
    return QueueUrl;
  };
  const produceQueue = await createQueue(`bench-produce-${suffix}`);
  const e2eQueue = await createQueue(`bench-e2e-${suffix}`);
  const consumerQueue = await createQueue(`bench-consumer-${suffix}`);
  const sns = snsEndpoint ? await snsPublishWorkload(snsEndpoint, region, suffix) : undefined;
  const sendBatches = async (queueUrl: string, n: number): Promise<void> => {
    for (const size of chunkSizes(n, SQS_BATCH_SIZE)) {
      const Entries = Array.from({ length: size }, (_, i) => ({
        Id: String(i),
        MessageBody: PAYLOAD,
        MessageAttributes: attributes(),
      }));
      await client.send(new sdk.SendMessageBatchCommand({ QueueUrl: queueUrl, Entries }));
    }
  };
  const purge = async (): Promise<void> => {
    await client.send(new sdk.PurgeQueueCommand({ QueueUrl: produceQueue })).catch(() => undefined);
  };
  // The application's per-message work: nothing, so only client and instrumentation cost is measured.
  const work = (): Promise<void> => Promise.resolve();

  return {
    workloads: [
      {
        name: 'send single',
        async run(n) {
          for (let i = 0; i < n; i++) {
            await client.send(
              new sdk.SendMessageCommand({
                QueueUrl: produceQueue,
                MessageBody: PAYLOAD,
                MessageAttributes: attributes(),
              }),
            );
          }
        },
        reset: purge,
      },
      {
        name: `send batch ${SQS_BATCH_SIZE}`,
        run: (n) => sendBatches(produceQueue, n),
        reset: purge,
      },
      sns ?? unavailable('sns publish', 'the SQS emulator has no SNS (fauxqs has)'),
      sqsConsumerWorkload(client, consumerQueue, sendBatches),
      {
        name: `send ${SQS_BATCH_SIZE} + receive/process/delete`,
        async run(n) {
          await sendBatches(e2eQueue, n);
          let received = 0;
          let emptyPolls = 0;
          while (received < n) {
            const { Messages = [] } = await client.send(
              new sdk.ReceiveMessageCommand({
                QueueUrl: e2eQueue,
                MaxNumberOfMessages: SQS_BATCH_SIZE,
                WaitTimeSeconds: 0,
              }),
            );
            if (Messages.length === 0) {
              if (++emptyPolls > 2000) throw new Error(`sqs receive: ${received} of ${n}`);
              continue;
            }
            for (const message of Messages) await processMessage(message, work);
            const Entries = Messages.map((message, i) => ({ Id: String(i), ReceiptHandle: message.ReceiptHandle }));
            await client.send(new sdk.DeleteMessageBatchCommand({ QueueUrl: e2eQueue, Entries }));
            received += Messages.length;
          }
        },
      },
    ],
    close() {
      client.destroy();
      sns?.close();
      return Promise.resolve();
    },
  };
}

/** Keeps the workload's place in the list (sizes go by position), and is skipped by the worker. */
function unavailable(name: string, why: string): Workload {
  return {
    name,
    unavailable: why,
    run: () => Promise.reject(new Error(`${name}: ${why}`)),
  };
}
