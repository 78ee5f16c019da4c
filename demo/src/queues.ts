// The SQS side of the demo's infrastructure: the jobs queue redrives to a
// dead-letter queue after two failed receives, as a real deployment would set up.
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';

export async function createQueues(endpoint: string, region: string): Promise<void> {
  const client = new SQSClient({ endpoint, region, credentials: { accessKeyId: 'demo', secretAccessKey: 'demo' } });
  try {
    const dlq = await client.send(new CreateQueueCommand({ QueueName: 'fulfilment-jobs-dlq' }));
    const { Attributes } = await client.send(
      new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }),
    );
    const jobs = await client.send(new CreateQueueCommand({ QueueName: 'fulfilment-jobs' }));
    await client.send(
      new SetQueueAttributesCommand({
        QueueUrl: jobs.QueueUrl,
        Attributes: {
          // Longer than the worker's 1 s long poll: local-aws-sqs hands a message out twice in one
          // long poll when its visibility timeout runs out during the poll.
          VisibilityTimeout: '2',
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: Attributes?.['QueueArn'], maxReceiveCount: 2 }),
        },
      }),
    );
  } finally {
    client.destroy();
  }
}
