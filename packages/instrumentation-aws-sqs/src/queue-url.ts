// What spans record of a queue URL: the queue's name and the URL without
// credentials. Every span of a call or message needs them, and an application
// uses a handful of queues, so each URL is worked out once and kept (a bounded
// number of them: the oldest is forgotten first).
import { ATTR_AWS_SQS_QUEUE_URL } from '@org/messaging-propagation';
import { sqsAttributes, sqsQueueNameFromUrl } from '@org/messaging-propagation/internal';

export interface QueueUrlFacts {
  /** `messaging.destination.name` */
  readonly queueName: string | undefined;
  /** `aws.sqs.queue.url`: the URL without the credentials an endpoint may carry. */
  readonly recordedUrl: string | undefined;
}

/** More queues than an application normally talks to; past that, URLs are worked out again. */
export const MAX_REMEMBERED_QUEUE_URLS = 256;

const remembered = new Map<string, QueueUrlFacts>();

/** The facts of `queueUrl`, worked out on its first use. */
export function queueUrlFacts(queueUrl: string): QueueUrlFacts {
  const known = remembered.get(queueUrl);
  if (known) return known;
  const facts: QueueUrlFacts = Object.freeze({
    queueName: sqsQueueNameFromUrl(queueUrl),
    recordedUrl: sqsAttributes({ queueUrl })[ATTR_AWS_SQS_QUEUE_URL] as string | undefined,
  });
  if (remembered.size >= MAX_REMEMBERED_QUEUE_URLS) remembered.delete(remembered.keys().next().value as string);
  remembered.set(queueUrl, facts);
  return facts;
}
