import type { Attributes } from '@opentelemetry/api';
import { ATTR_AWS_REQUEST_ID, ATTR_AWS_SNS_TOPIC_ARN, ATTR_CLOUD_REGION } from '../semconv';

/**
 * The topic name of an SNS topic ARN (`arn:aws:sns:eu-west-1:123456789012:orders` → `orders`),
 * `undefined` for anything that is not one: platform endpoint ARNs
 * (`…:endpoint/…`) are per device, never a destination name.
 */
export function snsTopicNameFromArn(arn: unknown): string | undefined {
  if (typeof arn !== 'string' || !arn.startsWith('arn:')) return undefined;
  const parts = arn.split(':');
  if (parts.length !== 6 || parts[2] !== 'sns') return undefined;
  const name = parts[5];
  return name && !name.includes('/') ? name : undefined;
}

export interface SnsFacts {
  /** `TopicArn` of the publish; never a `TargetArn` endpoint or a phone number. */
  topicArn?: string | undefined;
  requestId?: string | undefined;
  region?: string | undefined;
}

/** `aws.sns.topic.arn`, `aws.request_id`, `cloud.region`. */
export function snsAttributes(facts: SnsFacts): Attributes {
  const attributes: Attributes = {};
  if (facts.topicArn) attributes[ATTR_AWS_SNS_TOPIC_ARN] = facts.topicArn;
  if (facts.requestId) attributes[ATTR_AWS_REQUEST_ID] = facts.requestId;
  if (facts.region) attributes[ATTR_CLOUD_REGION] = facts.region;
  return attributes;
}
