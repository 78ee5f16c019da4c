// SendMessageBatch: one PRODUCER span for the call; every entry carries context
// (the send span's, or its own `create` span's when batchEntryCreateSpans is on);
// entries SQS refuses mark the span as failed.
import { trace } from '@opentelemetry/api';
import type { Context, Link } from '@opentelemetry/api';
import { MessagingOperations } from '@org/messaging-propagation';
import { runUserHook, setMessageBodySize, startMessagingSpan } from '@org/messaging-propagation/internal';
import type { BatchOutput, SendMessageBatchInput, SendMessageInput } from '../internal-types';
import {
  isObject,
  MAX_LINKS,
  operationAttributes,
  queueNameOf,
  recordBatchFailures,
  startOperationSpan,
  stringOrUndefined,
} from '../telemetry';
import type { SqsTelemetryDeps } from '../telemetry';
import { injectInto } from './send-message';
import { withCallerDigests } from './send-digests';
import type { HandledCall, SqsCall } from './types';

/** One ended PRODUCER `create {queue}` span per entry; returns the context each entry carries. */
function createSpans(
  deps: SqsTelemetryDeps,
  call: SqsCall,
  queueUrl: string | undefined,
  entries: readonly unknown[],
): Context[] {
  const queueName = queueNameOf(queueUrl);
  const operation = MessagingOperations.sqs.create;
  const attributes = operationAttributes({ operation, queueUrl, facts: { region: call.region() } }, queueName);
  const tracer = deps.tracer();
  const captureBodySize = deps.config().captureBodySize;
  const contexts: Context[] = [];
  for (const entry of entries) {
    const span = startMessagingSpan(tracer, operation, queueName, call.parent, attributes);
    if (captureBodySize && isObject(entry)) setMessageBodySize(span, entry.MessageBody);
    contexts.push(trace.setSpan(call.parent, span));
    span.end();
  }
  return contexts;
}

/** The answer with each `Successful` entry's digests describing the caller's own entry (matched by `Id`). */
function withCallerEntryDigests(
  output: BatchOutput,
  own: SendMessageBatchInput['Entries'],
  sent: SendMessageBatchInput['Entries'],
): BatchOutput {
  if (!Array.isArray(output.Successful) || !Array.isArray(own) || !Array.isArray(sent) || own === sent) return output;
  const entries = new Map<unknown, { own: SendMessageInput; sent: SendMessageInput }>();
  own.forEach((entry, index) => {
    const copy = sent[index];
    if (isObject(entry) && isObject(copy) && copy !== entry) entries.set(entry.Id, { own: entry, sent: copy });
  });
  const successful = output.Successful.map((answer) => {
    const entry = isObject(answer) ? entries.get(answer.Id) : undefined;
    return entry ? withCallerDigests(answer, entry.own, entry.sent) : answer;
  });
  return successful.some((answer, index) => answer !== output.Successful?.[index])
    ? { ...output, Successful: successful }
    : output;
}

export function handleSendMessageBatch(call: SqsCall): HandledCall | undefined {
  const input = call.input as SendMessageBatchInput;
  if (!isObject(input) || !Array.isArray(input.Entries)) return undefined;
  const entries = input.Entries;
  const { deps } = call;
  const config = deps.config();
  const queueUrl = stringOrUndefined(input.QueueUrl);
  const entryContexts = config.batchEntryCreateSpans ? createSpans(deps, call, queueUrl, entries) : [];
  const links: Link[] = [];
  for (const context of entryContexts.slice(0, MAX_LINKS)) {
    const spanContext = trace.getSpanContext(context);
    if (spanContext) links.push({ context: spanContext });
  }
  const operation = startOperationSpan(deps, {
    operation: MessagingOperations.sqs.send,
    queueUrl,
    parent: call.parent,
    batchMessageCount: entries.length,
    facts: { region: call.region() },
    links,
  });
  runUserHook(deps.diag, 'producerHook', config.producerHook, operation.span, {
    commandName: 'SendMessageBatch',
    queueUrl,
    messageCount: entries.length,
  });
  const context = operation.context;
  let injected: SendMessageBatchInput = input;
  try {
    const queueName = queueNameOf(queueUrl);
    injected = {
      ...input,
      Entries: entries.map((entry, index) =>
        isObject(entry)
          ? injectInto(deps, entryContexts[index] ?? context, entry as SendMessageInput, queueName)
          : entry,
      ),
    };
  } catch (error) {
    deps.diag.error('otel-mq: could not inject context into an SQS batch; sending it as it is', error);
  }
  return {
    input: injected,
    context,
    finish(outcome, output) {
      const result = output as BatchOutput | undefined;
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
      return isObject(result) ? withCallerEntryDigests(result, entries, injected.Entries) : output;
    },
  };
}
