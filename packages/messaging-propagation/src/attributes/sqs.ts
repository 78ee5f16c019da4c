import type { Attributes } from '@opentelemetry/api';
import {
  ATTR_AWS_REQUEST_ID,
  ATTR_AWS_SQS_QUEUE_URL,
  ATTR_CLOUD_REGION,
  ATTR_OTEL_MQ_AWS_SQS_MESSAGE_DEDUPLICATION_ID,
  ATTR_OTEL_MQ_AWS_SQS_MESSAGE_GROUP_ID,
} from '../semconv';

/** The queue name of an SQS queue URL (`https://sqs.eu-west-1.amazonaws.com/123456789012/orders` → `orders`). */
export function sqsQueueNameFromUrl(queueUrl: unknown): string | undefined {
  if (typeof queueUrl !== 'string') return undefined;
  const path = queueUrl.split(/[?#]/, 1)[0] ?? '';
  const name = path.replace(/\/+$/, '').split('/').pop();
  return name && !name.includes(':') ? name : undefined;
}

export interface SqsFacts {
  queueUrl?: string | undefined;
  requestId?: string | undefined;
  region?: string | undefined;
  /** FIFO queues: `MessageGroupId` */
  messageGroupId?: string | undefined;
  /** FIFO queues: `MessageDeduplicationId` */
  messageDeduplicationId?: string | undefined;
}

/**
 * The queue URL without credentials: a URL built from an endpoint such as
 * `http://user:secret@localstack:4566` carries them in its user-info part.
 */
function withoutCredentials(url: string): string {
  return url.replace(/^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/)[^/?#]*@/, '$1');
}

/** `aws.sqs.queue.url` (never with credentials), `aws.request_id`, `cloud.region`, and the FIFO group and deduplication ids. */
export function sqsAttributes(facts: SqsFacts): Attributes {
  const attributes: Attributes = {};
  if (facts.queueUrl) attributes[ATTR_AWS_SQS_QUEUE_URL] = withoutCredentials(facts.queueUrl);
  if (facts.requestId) attributes[ATTR_AWS_REQUEST_ID] = facts.requestId;
  if (facts.region) attributes[ATTR_CLOUD_REGION] = facts.region;
  if (facts.messageGroupId) attributes[ATTR_OTEL_MQ_AWS_SQS_MESSAGE_GROUP_ID] = facts.messageGroupId;
  if (facts.messageDeduplicationId) {
    attributes[ATTR_OTEL_MQ_AWS_SQS_MESSAGE_DEDUPLICATION_ID] = facts.messageDeduplicationId;
  }
  return attributes;
}
