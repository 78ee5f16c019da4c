// The AWS side of the demo's infrastructure, as a real deployment would set it
// up: the `ready-to-ship` SNS topic fans out to the `fulfilment-jobs` SQS queue
// (default delivery: each message is an SNS JSON envelope), and that queue
// redrives to a dead-letter queue after two failed receives.
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';

export interface AwsResources {
  shippingTopicArn: string;
}

export async function createAwsResources(endpoint: string, region: string): Promise<AwsResources> {
  const config = { endpoint, region, credentials: { accessKeyId: 'demo', secretAccessKey: 'demo' } };
  const sqs = new SQSClient(config);
  const sns = new SNSClient(config);
  const queueArn = async (QueueUrl: string | undefined) => {
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    return Attributes?.['QueueArn'];
  };
  try {
    const dlq = await sqs.send(new CreateQueueCommand({ QueueName: 'fulfilment-jobs-dlq' }));
    const jobs = await sqs.send(new CreateQueueCommand({ QueueName: 'fulfilment-jobs' }));
    await sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl: jobs.QueueUrl,
        Attributes: {
          // Longer than the worker's 1 s long poll, so a failed job comes back on the next poll.
          VisibilityTimeout: '2',
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: await queueArn(dlq.QueueUrl), maxReceiveCount: 2 }),
        },
      }),
    );
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'ready-to-ship' }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: await queueArn(jobs.QueueUrl) }));
    if (!TopicArn) throw new Error('CreateTopic returned no TopicArn');
    return { shippingTopicArn: TopicArn };
  } finally {
    sqs.destroy();
    sns.destroy();
  }
}
