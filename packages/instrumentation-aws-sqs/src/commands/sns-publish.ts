// SNS Publish and PublishBatch: one PRODUCER `send {topic}` span per call, the
// context injected into a copy of each message's MessageAttributes. SNS hands
// message attributes on to subscribed SQS queues only within SQS's budget of 10,
// so the same budget applies; SNS has no AWSTraceHeader system attribute, so a
// message with no room left goes out as the caller wrote it, with a warning.
import type { Context } from '@opentelemetry/api';
import { ATTR_MESSAGING_MESSAGE_ID, injectSqsContext, MessagingOperations } from '@org/messaging-propagation';
import {
  messagingAttributes,
  runUserHook,
  setMessageBodySize,
  snsAttributes,
  snsTopicNameFromArn,
  startMessagingSpan,
} from '@org/messaging-propagation/internal';
import type { PublishBatchInput, PublishBatchOutput, PublishInput, PublishOutput } from '../internal-types';
import { isObject, recordBatchFailures, SqsOperation, stringOrUndefined } from '../telemetry';
import type { SqsTelemetryDeps } from '../telemetry';
import type { HandledCall, SqsCall } from './types';

/** A copy of the message carrying the context in its MessageAttributes; the message itself when there is no room. */
export function injectIntoPublish<T extends PublishInput>(
  deps: SqsTelemetryDeps,
  context: Context,
  message: T,
  topic: string | undefined,
): T {
  const injection = injectSqsContext(context, { MessageAttributes: message.MessageAttributes });
  if (injection.carrier !== 'message-attributes') {
    // Nothing to carry (no propagator fields, no valid context): nothing to warn about.
    if (injection.carrier === 'none' && injection.omittedFields.length === 0) return message;
    deps.diag.warn(
      `otel-mq: SNS message to ${topic ?? 'a target'} has no room for trace context (10 message attributes); published without it`,
    );
    return message;
  }
  return { ...message, MessageAttributes: injection.MessageAttributes };
}

function startPublishSpan(deps: SqsTelemetryDeps, call: SqsCall, topicArn: string | undefined, batch?: number) {
  const operation = MessagingOperations.sns.send;
  // A TargetArn (a device endpoint) or a PhoneNumber is no destination name: per
  // recipient, and a phone number is personal data. Only topics are named.
  const topic = snsTopicNameFromArn(topicArn);
  const attributes = Object.assign(
    messagingAttributes({ operation, destination: topic, batchMessageCount: batch }),
    snsAttributes({ topicArn: topic ? topicArn : undefined, region: call.region() }),
  );
  const span = startMessagingSpan(deps.tracer(), operation, topic, call.parent, attributes);
  return { operation: new SqsOperation(deps, span, call.parent, attributes, performance.now()).track(), topic };
}

export function handlePublish(call: SqsCall): HandledCall | undefined {
  const input = call.input as PublishInput;
  if (!isObject(input)) return undefined;
  const { deps } = call;
  const topicArn = stringOrUndefined(input.TopicArn);
  const { operation, topic } = startPublishSpan(deps, call, topicArn);
  if (deps.config().captureBodySize) setMessageBodySize(operation.span, input.Message);
  runUserHook(deps.diag, 'producerHook', deps.config().producerHook, operation.span, {
    commandName: 'Publish',
    queueUrl: undefined,
    topicArn,
    messageCount: 1,
  });
  const context = operation.context;
  let injected: PublishInput = input;
  try {
    injected = injectIntoPublish(deps, context, input, topic);
  } catch (error) {
    deps.diag.error('otel-mq: could not inject context into an SNS message; publishing it as it is', error);
  }
  return {
    input: injected,
    context,
    finish(outcome, output) {
      const result = output as PublishOutput | undefined;
      const messageId = stringOrUndefined(result?.MessageId);
      if (messageId) operation.span.setAttribute(ATTR_MESSAGING_MESSAGE_ID, messageId);
      operation.answered({
        outcome,
        requestId: stringOrUndefined(result?.$metadata?.requestId),
        region: call.region(),
        sent: 1,
      });
      return output;
    },
  };
}

export function handlePublishBatch(call: SqsCall): HandledCall | undefined {
  const input = call.input as PublishBatchInput;
  if (!isObject(input) || !Array.isArray(input.PublishBatchRequestEntries)) return undefined;
  const entries = input.PublishBatchRequestEntries;
  const { deps } = call;
  const topicArn = stringOrUndefined(input.TopicArn);
  const { operation, topic } = startPublishSpan(deps, call, topicArn, entries.length);
  runUserHook(deps.diag, 'producerHook', deps.config().producerHook, operation.span, {
    commandName: 'PublishBatch',
    queueUrl: undefined,
    topicArn,
    messageCount: entries.length,
  });
  const context = operation.context;
  let injected: PublishBatchInput = input;
  try {
    // Every entry, not only the first: each is delivered (and consumed) on its own.
    injected = {
      ...input,
      PublishBatchRequestEntries: entries.map((entry) =>
        isObject(entry) ? injectIntoPublish(deps, context, entry, topic) : entry,
      ),
    };
  } catch (error) {
    deps.diag.error('otel-mq: could not inject context into an SNS batch; publishing it as it is', error);
  }
  return {
    input: injected,
    context,
    finish(outcome, output) {
      const result = output as PublishBatchOutput | undefined;
      const batchFailure = outcome.failed
        ? undefined
        : recordBatchFailures(operation.span, result?.Failed, entries.length);
      operation.answered({
        outcome,
        batchFailure,
        requestId: stringOrUndefined(result?.$metadata?.requestId),
        region: call.region(),
        sent: entries.length,
      });
      return output;
    },
  };
}
