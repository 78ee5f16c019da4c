// SendMessage: one PRODUCER span per call, the context injected into a copy of
// the message attributes (or AWSTraceHeader when the 10-attribute budget is used
// up), the caller's input left as it was. `injectInto` serves batch entries too.
import type { Context } from '@opentelemetry/api';
import { ATTR_MESSAGING_MESSAGE_ID, injectSqsContext, MessagingOperations } from '@org/messaging-propagation';
import type { SqsInjection } from '@org/messaging-propagation';
import { runUserHook, setMessageBodySize } from '@org/messaging-propagation/internal';
import type { SendMessageInput, SendMessageOutput } from '../internal-types';
import { isObject, queueNameOf, startOperationSpan, stringOrUndefined } from '../telemetry';
import type { SqsTelemetryDeps } from '../telemetry';
import { withCallerDigests } from './send-digests';
import type { HandledCall, SqsCall } from './types';

/** A copy of a message (or batch entry) carrying the context; the message itself when nothing was added. */
export function injectInto<T extends SendMessageInput>(
  deps: SqsTelemetryDeps,
  context: Context,
  message: T,
  queue: string | undefined,
): T {
  const injection: SqsInjection = injectSqsContext(context, message);
  logCarrier(deps, injection, queue);
  if (injection.carrier === 'none') return message;
  const copy: T = { ...message };
  if (injection.MessageAttributes !== message.MessageAttributes) copy.MessageAttributes = injection.MessageAttributes;
  if (injection.MessageSystemAttributes !== message.MessageSystemAttributes) {
    copy.MessageSystemAttributes = injection.MessageSystemAttributes;
  }
  return copy;
}

function logCarrier(deps: SqsTelemetryDeps, injection: SqsInjection, queue: string | undefined): void {
  const omitted = injection.omittedFields.length > 0 ? `; left out: ${injection.omittedFields.join(', ')}` : '';
  if (injection.carrier === 'none' && injection.omittedFields.length > 0) {
    deps.diag.warn(
      `otel-mq: SQS message to ${queue ?? 'a queue'} has no room for trace context (10 message attributes and its own AWSTraceHeader)`,
    );
  } else {
    deps.diag.debug(`otel-mq: SQS message to ${queue ?? 'a queue'}: context carried in ${injection.carrier}${omitted}`);
  }
}

export function handleSendMessage(call: SqsCall): HandledCall | undefined {
  const input = call.input as SendMessageInput;
  if (!isObject(input)) return undefined;
  const { deps } = call;
  const queueUrl = stringOrUndefined(input.QueueUrl);
  const operation = startOperationSpan(deps, {
    operation: MessagingOperations.sqs.send,
    queueUrl,
    parent: call.parent,
    facts: {
      region: call.region(),
      messageGroupId: stringOrUndefined(input.MessageGroupId),
      messageDeduplicationId: stringOrUndefined(input.MessageDeduplicationId),
    },
  });
  const config = deps.config();
  if (config.captureBodySize) setMessageBodySize(operation.span, input.MessageBody);
  runUserHook(deps.diag, 'producerHook', config.producerHook, operation.span, {
    commandName: 'SendMessage',
    queueUrl,
    messageCount: 1,
  });
  const context = operation.context;
  let injected: SendMessageInput = input;
  try {
    injected = injectInto(deps, context, input, queueNameOf(queueUrl));
  } catch (error) {
    deps.diag.error('otel-mq: could not inject context into an SQS message; sending it as it is', error);
  }
  return {
    input: injected,
    context,
    finish(outcome, output) {
      const result = output as SendMessageOutput | undefined;
      const messageId = stringOrUndefined(result?.MessageId);
      if (messageId) operation.span.setAttribute(ATTR_MESSAGING_MESSAGE_ID, messageId);
      operation.answered({
        outcome,
        requestId: stringOrUndefined(result?.$metadata?.requestId),
        region: call.region(),
        sent: 1,
      });
      return isObject(result) ? withCallerDigests(result, input, injected) : output;
    },
  };
}
