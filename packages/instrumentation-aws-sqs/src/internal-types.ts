// The parts of @aws-sdk/client-sqs 3.x this plugin touches, typed loosely: the
// plugin never imports the SDK at run time, and must cope when a shape changes.
import type { SqsMessageAttributes, SqsMessageAttributeValue } from '@org/messaging-propagation';
import type { SqsMessage } from './types';

/** An SDK command: `new SendMessageCommand(input)`; its class name names the operation. */
export interface SqsCommand {
  readonly input: unknown;
  readonly constructor: { readonly name?: unknown };
}

/** The SQS client (`SQSClient`, or the aggregated `SQS`): only its config is read. */
export interface SqsClient {
  config?: { region?: unknown } | undefined;
}

export type SendFunction = (this: SqsClient, command: SqsCommand, ...rest: unknown[]) => unknown;

export interface SendMessageInput {
  QueueUrl?: string;
  MessageBody?: string;
  MessageAttributes?: SqsMessageAttributes;
  MessageSystemAttributes?: Record<string, SqsMessageAttributeValue | undefined>;
  MessageGroupId?: string;
  MessageDeduplicationId?: string;
  [field: string]: unknown;
}

export interface SendMessageBatchInput {
  QueueUrl?: string;
  Entries?: Array<SendMessageInput & { Id?: string }>;
  [field: string]: unknown;
}

export interface BatchResultErrorEntry {
  Id?: string;
  Code?: string;
  Message?: string;
  SenderFault?: boolean;
}

/** The digests SQS answers a send with, of what it was sent. */
export interface SentMessageDigests {
  MD5OfMessageAttributes?: string;
  MD5OfMessageSystemAttributes?: string;
  [field: string]: unknown;
}

/** The answer of every SQS batch call: `Successful` and `Failed` entries. */
export interface BatchOutput {
  Successful?: Array<SentMessageDigests & { Id?: string; MessageId?: string }>;
  Failed?: BatchResultErrorEntry[];
  $metadata?: ResponseMetadata;
  [field: string]: unknown;
}

export interface ResponseMetadata {
  requestId?: string;
}

export interface SendMessageOutput extends SentMessageDigests {
  MessageId?: string;
  $metadata?: ResponseMetadata;
}

export interface ReceiveMessageInput {
  QueueUrl?: string;
  MessageAttributeNames?: readonly string[];
  MessageSystemAttributeNames?: readonly string[];
  /** Deprecated by AWS in favour of MessageSystemAttributeNames, still honoured (local-aws-sqs reads only this). */
  AttributeNames?: readonly string[];
  [field: string]: unknown;
}

export interface ReceivedMessage extends SqsMessage {
  ReceiptHandle?: string;
  [field: string]: unknown;
}

export interface ReceiveMessageOutput {
  Messages?: ReceivedMessage[];
  $metadata?: ResponseMetadata;
  [field: string]: unknown;
}

/** DeleteMessage, ChangeMessageVisibility and their batch forms. */
export interface SettleInput {
  QueueUrl?: string;
  ReceiptHandle?: string;
  Entries?: Array<{ Id?: string; ReceiptHandle?: string }>;
  [field: string]: unknown;
}

/** SNS `Publish` input: the context goes into a copy of `MessageAttributes`. */
export interface PublishInput {
  TopicArn?: string;
  Message?: string;
  TargetArn?: string;
  PhoneNumber?: string;
  MessageAttributes?: SqsMessageAttributes;
  [field: string]: unknown;
}

export interface PublishBatchInput {
  TopicArn?: string;
  PublishBatchRequestEntries?: Array<PublishInput & { Id?: string }>;
  [field: string]: unknown;
}

export interface PublishOutput {
  MessageId?: string;
  $metadata?: { requestId?: string };
}

export interface PublishBatchOutput {
  Successful?: Array<{ Id?: string; MessageId?: string }>;
  Failed?: BatchResultErrorEntry[];
  $metadata?: { requestId?: string };
}
