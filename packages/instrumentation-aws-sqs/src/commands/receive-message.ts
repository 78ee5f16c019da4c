// ReceiveMessage: a CLIENT `receive {queue}` span linked to every received
// message's producer; each returned message's context is remembered for
// processSqsMessage, then what only the plugin asked for is stripped again.
import { trace } from '@opentelemetry/api';
import type { Link } from '@opentelemetry/api';
import {
  ATTR_MESSAGING_BATCH_MESSAGE_COUNT,
  ATTR_MESSAGING_MESSAGE_BODY_SIZE,
  messageBodySize,
  MessagingOperations,
  propagatorFields,
} from '@org/messaging-propagation';
import type { ReceiveMessageInput, ReceiveMessageOutput, ReceivedMessage } from '../internal-types';
import { readMessageState, rememberMessage } from '../message-state';
import { isObject, MAX_LINKS, startOperationSpan, stringOrUndefined } from '../telemetry';
import { planReceiveRequest, stripAdded } from './receive-request';
import type { AddedNames } from './receive-request';
import type { HandledCall, SqsCall } from './types';

const NOTHING_ADDED: AddedNames = { messageAttributes: [], systemAttributes: [] };

export function handleReceiveMessage(call: SqsCall): HandledCall | undefined {
  const input = call.input as ReceiveMessageInput;
  if (!isObject(input)) return undefined;
  const { deps } = call;
  const config = deps.config();
  const queueUrl = stringOrUndefined(input.QueueUrl);
  const plan = !config.requestTraceAttributes
    ? { input, added: NOTHING_ADDED }
    : planReceiveRequest(input, propagatorFields());
  const operation = startOperationSpan(deps, {
    operation: MessagingOperations.sqs.receive,
    queueUrl,
    parent: call.parent,
    facts: { region: call.region() },
  });
  return {
    input: plan.input,
    context: operation.context,
    finish(outcome, output) {
      const result = output as ReceiveMessageOutput | undefined;
      let returned = output;
      let count = 0;
      try {
        const messages = isObject(result) && Array.isArray(result.Messages) ? result.Messages : undefined;
        if (messages) {
          count = messages.length;
          const links: Link[] = [];
          const extractSnsEnvelope = config.extractSnsEnvelope;
          const region = call.region();
          // Per-message attributes of a batch go on its links (semconv); only for a recording span.
          const captureBodySize = config.captureBodySize && operation.span.isRecording();
          const stripped = messages.map((message: ReceivedMessage) => {
            if (!isObject(message)) return message;
            const state = readMessageState(message, queueUrl, extractSnsEnvelope, region);
            const producer = trace.getSpanContext(state.extracted.context);
            if (producer && links.length < MAX_LINKS) {
              const size = captureBodySize ? messageBodySize(message.Body) : undefined;
              links.push(
                size === undefined
                  ? { context: producer }
                  : { context: producer, attributes: { [ATTR_MESSAGING_MESSAGE_BODY_SIZE]: size } },
              );
            }
            const handedBack = stripAdded(message, plan.added);
            rememberMessage(handedBack, state);
            return handedBack;
          });
          operation.span.addLinks(links);
          if (stripped.some((message, index) => message !== messages[index])) {
            returned = { ...result, Messages: stripped };
          }
        }
        operation.span.setAttribute(ATTR_MESSAGING_BATCH_MESSAGE_COUNT, count);
      } catch (telemetryError) {
        deps.diag.error('otel-mq: SQS receive telemetry failed', telemetryError);
        returned = output;
      }
      operation.answered({
        outcome,
        requestId: stringOrUndefined(result?.$metadata?.requestId),
        region: call.region(),
        consumed: count,
      });
      return returned;
    },
  };
}
