// AWS SDK v3 SNS workload against fauxqs (which emulates SNS): awaited Publish
// to a topic that fans out to one SQS queue, as applications publish events.
import { createRequire } from 'node:module';
import type * as ClientSns from '@aws-sdk/client-sns';
import type * as ClientSqs from '@aws-sdk/client-sqs';
import { PAYLOAD } from './types.ts';
import type { Workload } from './types.ts';

const require = createRequire(import.meta.url);
const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

export interface SnsWorkload extends Workload {
  close(): void;
}

/** `Publish` of one message per call; the subscribed queue is purged outside the timed region. */
export async function snsPublishWorkload(endpoint: string, region: string, suffix: string): Promise<SnsWorkload> {
  const sns = require('@aws-sdk/client-sns') as typeof ClientSns;
  const sqs = require('@aws-sdk/client-sqs') as typeof ClientSqs;
  const config = { endpoint, region, credentials: CREDENTIALS };
  const snsClient = new sns.SNSClient(config);
  const sqsClient = new sqs.SQSClient(config);
  const { TopicArn } = await snsClient.send(new sns.CreateTopicCommand({ Name: `bench-topic-${suffix}` }));
  const { QueueUrl } = await sqsClient.send(new sqs.CreateQueueCommand({ QueueName: `bench-fanout-${suffix}` }));
  const { Attributes } = await sqsClient.send(
    new sqs.GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  await snsClient.send(new sns.SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: Attributes?.['QueueArn'] }));
  return {
    name: 'sns publish',
    async run(n) {
      for (let i = 0; i < n; i++) {
        await snsClient.send(
          new sns.PublishCommand({
            TopicArn,
            Message: PAYLOAD,
            MessageAttributes: { 'app-id': { DataType: 'String', StringValue: 'bench' } },
          }),
        );
      }
    },
    async reset() {
      await sqsClient.send(new sqs.PurgeQueueCommand({ QueueUrl })).catch(() => undefined);
    },
    close() {
      snsClient.destroy();
      sqsClient.destroy();
    },
  };
}
