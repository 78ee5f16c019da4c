import { diag, isSpanContextValid, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import type { Context, SpanContext, TextMapGetter } from '@opentelemetry/api';
import {
  AWS_TRACE_HEADER_ATTRIBUTE,
  awsTraceHeaderToSpanContext,
  spanContextToAwsTraceHeader,
} from './carriers/aws-trace-header';
import { isRecord, ownKeys, readRecordField, setOwnValue } from './carriers/header-value';
import {
  lambdaSqsMessageAttributesGetter,
  SQS_MAX_MESSAGE_ATTRIBUTES,
  sqsMessageAttributesGetter,
} from './carriers/sqs-message-attributes';
import type {
  LambdaSqsMessageAttributes,
  SqsMessageAttributes,
  SqsMessageAttributeValue,
} from './carriers/sqs-message-attributes';
import { snsEnvelopeMessageAttributes, snsMessageAttributesGetter } from './carriers/sns-envelope';
import { extractFromCarrier } from './extract';
import { propagationFields, propagatorFieldSet } from './inject';

/** Where a message's context travels, or came from. */
export type ContextCarrierKind = 'message-attributes' | 'aws-trace-header' | 'sns-envelope' | 'none';

/** The part of an SQS SendMessage input (or SendMessageBatch entry) that carries context. */
export interface SqsContextInput {
  MessageAttributes?: SqsMessageAttributes | undefined;
  MessageSystemAttributes?: Record<string, SqsMessageAttributeValue | undefined> | undefined;
}

export interface SqsInjection {
  /** Which carrier holds the context now. */
  carrier: ContextCarrierKind;
  /** Copies with the context added; the input's own objects when nothing was added. */
  MessageAttributes: SqsMessageAttributes | undefined;
  MessageSystemAttributes: Record<string, SqsMessageAttributeValue | undefined> | undefined;
  /** Propagation fields that did not fit (e.g. `baggage` when only one slot was free). */
  omittedFields: string[];
}

/**
 * Fields in the order they are given a slot: `traceparent` first (it carries the
 * span context alone), then `tracestate`, then every other field in the order
 * the propagator wrote it (B3's, a custom propagator's), `baggage` last (it never
 * carries the span context). `Array.prototype.sort` is stable, so ties keep that order.
 */
function byPriority(a: string, b: string): number {
  const rank = (key: string): number =>
    key === 'traceparent' ? 0 : key === 'tracestate' ? 1 : key === 'baggage' ? 3 : 2;
  return rank(a) - rank(b);
}

/**
 * Plans how `context` travels on one SQS message without ever making the send fail:
 * the fields the global propagator writes go into copies of the message attributes
 * while the 10-attribute budget has room (see `byPriority`). When only some fit,
 * they are kept only if the propagator reads the span context back from them;
 * otherwise the span context goes into the `AWSTraceHeader` message system attribute
 * (X-Ray format, outside the budget) unless the caller set one already. The input
 * objects are never mutated.
 */
export function injectSqsContext(context: Context, input: SqsContextInput): SqsInjection {
  try {
    return planSqsInjection(context, input);
  } catch (error) {
    // Attributes that throw when read or copied (a Proxy): the message goes out as the caller wrote it.
    diag.debug('otel-mq: SQS attributes could not be read, message sent without context', error);
    return {
      carrier: 'none',
      MessageAttributes: readRecordField(input, 'MessageAttributes') as SqsMessageAttributes | undefined,
      MessageSystemAttributes: readRecordField(
        input,
        'MessageSystemAttributes',
      ) as SqsContextInput['MessageSystemAttributes'],
      omittedFields: [],
    };
  }
}

const SCRATCH_GETTER: TextMapGetter<Record<string, string>> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => (Object.prototype.hasOwnProperty.call(carrier, key) ? carrier[key] : undefined),
};

/** Whether the propagator reads `spanContext` back from the fields `chosen` alone. */
function carriesSpanContext(
  fields: Record<string, string>,
  chosen: readonly string[],
  spanContext: SpanContext,
): boolean {
  const subset: Record<string, string> = {};
  for (const key of chosen) setOwnValue(subset, key, fields[key]);
  const extracted = trace.getSpanContext(extractFromCarrier(subset, SCRATCH_GETTER));
  return extracted?.traceId === spanContext.traceId && extracted.spanId === spanContext.spanId;
}

function planSqsInjection(context: Context, input: SqsContextInput): SqsInjection {
  const userAttributes = input.MessageAttributes;
  const systemAttributes = input.MessageSystemAttributes;
  const unchanged: SqsInjection = {
    carrier: 'none',
    MessageAttributes: userAttributes,
    MessageSystemAttributes: systemAttributes,
    omittedFields: [],
  };
  const fields = propagationFields(context);
  const keys = Object.keys(fields);
  if (keys.length === 0) return unchanged;

  const existing = isRecord(userAttributes) ? userAttributes : {};
  // A forwarded message's own propagation fields (the previous hop's traceparent,
  // tracestate, baggage, or a custom propagator's) are replaced, never kept beside
  // the new context: they free their slots.
  const staleNames = propagatorFieldSet();
  const existingKeys = ownKeys(existing);
  const stale = existingKeys.filter((key) => staleNames.has(key.toLowerCase()));
  const withoutStale = (): SqsMessageAttributes => {
    const copy: SqsMessageAttributes = { ...existing };
    for (const key of stale) delete copy[key];
    return copy;
  };
  const free = SQS_MAX_MESSAGE_ATTRIBUTES - (existingKeys.length - stale.length);
  const spanContext = trace.getSpanContext(context);
  const hasSpan = spanContext !== undefined && isSpanContextValid(spanContext);

  let chosen = keys;
  let omittedFields: string[] = [];
  if (keys.length > free) {
    const ordered = [...keys].sort(byPriority);
    chosen = ordered.slice(0, Math.max(0, free));
    omittedFields = ordered.slice(chosen.length);
  }
  const fits =
    chosen.length > 0 && (omittedFields.length === 0 || !hasSpan || carriesSpanContext(fields, chosen, spanContext));
  if (fits) {
    const copy = withoutStale();
    for (const key of chosen) setOwnValue(copy, key, { DataType: 'String', StringValue: fields[key] });
    return { ...unchanged, carrier: 'message-attributes', MessageAttributes: copy, omittedFields };
  }

  const callerHeader = isRecord(systemAttributes) ? systemAttributes[AWS_TRACE_HEADER_ATTRIBUTE] : undefined;
  if (!hasSpan || callerHeader !== undefined) {
    return { ...unchanged, omittedFields: keys };
  }
  return {
    ...unchanged,
    carrier: 'aws-trace-header',
    MessageAttributes: stale.length > 0 ? withoutStale() : userAttributes,
    MessageSystemAttributes: {
      ...(isRecord(systemAttributes) ? systemAttributes : {}),
      [AWS_TRACE_HEADER_ATTRIBUTE]: { DataType: 'String', StringValue: spanContextToAwsTraceHeader(spanContext) },
    },
    // The X-Ray header carries the span context; what it cannot hold is reported.
    omittedFields: keys.filter((key) => key !== 'traceparent'),
  };
}

export interface ExtractedContext {
  context: Context;
  carrier: ContextCarrierKind;
}

function fromAwsTraceHeader(systemAttributes: unknown, base: Context): ExtractedContext {
  const header = readRecordField(systemAttributes, AWS_TRACE_HEADER_ATTRIBUTE);
  const spanContext = awsTraceHeaderToSpanContext(header);
  if (!spanContext) return { context: base, carrier: 'none' };
  return { context: trace.setSpanContext(base, spanContext), carrier: 'aws-trace-header' };
}

function hasValidSpan(context: Context): boolean {
  const spanContext = trace.getSpanContext(context);
  return spanContext !== undefined && isSpanContextValid(spanContext);
}

/**
 * The producer's context of a message returned by ReceiveMessage: message
 * attributes first (`traceparent` and friends), then the `AWSTraceHeader`
 * system attribute (`message.Attributes.AWSTraceHeader`).
 */
export function extractSqsMessageContext(
  message: { MessageAttributes?: unknown; Attributes?: unknown } | null | undefined,
  base: Context = ROOT_CONTEXT,
): ExtractedContext {
  // Fields are read through readRecordField: a message that throws when read has no context, never an error.
  const context = extractFromCarrier(
    readRecordField(message, 'MessageAttributes') as SqsMessageAttributes | undefined,
    sqsMessageAttributesGetter,
    base,
  );
  if (hasValidSpan(context)) return { context, carrier: 'message-attributes' };
  const viaHeader = fromAwsTraceHeader(readRecordField(message, 'Attributes'), context);
  if (viaHeader.carrier === 'none') diag.debug('otel-mq: SQS message carries no trace context');
  return viaHeader;
}

/** The same for a record of a Lambda SQS event (`messageAttributes`, `attributes.AWSTraceHeader`). */
export function extractLambdaSqsRecordContext(
  record: { messageAttributes?: unknown; attributes?: unknown } | null | undefined,
  base: Context = ROOT_CONTEXT,
): ExtractedContext {
  const context = extractFromCarrier(
    readRecordField(record, 'messageAttributes') as LambdaSqsMessageAttributes | undefined,
    lambdaSqsMessageAttributesGetter,
    base,
  );
  if (hasValidSpan(context)) return { context, carrier: 'message-attributes' };
  return fromAwsTraceHeader(readRecordField(record, 'attributes'), context);
}

/**
 * The producer's context inside an SNS notification envelope (SNS→SQS with raw
 * message delivery off): the envelope's own `MessageAttributes`, where the SNS
 * publisher's propagation fields end up. `body` is the SQS message body (SDK
 * `Body` or Lambda record `body`); anything that is not an envelope yields `base`.
 */
export function extractSnsEnvelopeContext(body: unknown, base: Context = ROOT_CONTEXT): ExtractedContext {
  const attributes = snsEnvelopeMessageAttributes(body);
  if (!attributes) return { context: base, carrier: 'none' };
  const context = extractFromCarrier(attributes, snsMessageAttributesGetter, base);
  return hasValidSpan(context) ? { context, carrier: 'sns-envelope' } : { context: base, carrier: 'none' };
}
