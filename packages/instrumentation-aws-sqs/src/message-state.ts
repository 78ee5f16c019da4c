// What the plugin learnt about each received message, kept by message object
// (WeakMap: freed with the message), because the response the caller gets no
// longer holds the attributes the context came from.
import { ROOT_CONTEXT } from '@opentelemetry/api';
import { extractSnsEnvelopeContext, extractSqsMessageContext } from '@org/messaging-propagation';
import type { ExtractedContext } from '@org/messaging-propagation';
import type { SqsMessage } from './types';
import { isObject, stringOrUndefined } from './telemetry';
import { APPROXIMATE_RECEIVE_COUNT, SENT_TIMESTAMP } from './sqs-attribute-names';

export interface ReceivedMessageState {
  /** The producer's context, and which carrier brought it. */
  extracted: ExtractedContext;
  queueUrl: string | undefined;
  messageId: string | undefined;
  /** `ApproximateReceiveCount` */
  receiveCount: number | undefined;
  /** `SentTimestamp`, ms since the epoch */
  sentTimestamp: string | undefined;
  /** The receiving client's region, when known. */
  region: string | undefined;
}

const states = new WeakMap<object, ReceivedMessageState>();

export function receiveCount(value: unknown): number | undefined {
  const count = typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : undefined;
  return count !== undefined && count > 0 ? count : undefined;
}

/** Reads a message as SQS returned it (before anything is stripped). */
export function readMessageState(
  message: SqsMessage,
  queueUrl: string | undefined,
  extractSnsEnvelope: boolean,
  region?: string,
): ReceivedMessageState {
  let extracted = extractSqsMessageContext(message, ROOT_CONTEXT);
  if (extracted.carrier === 'none' && extractSnsEnvelope) {
    const fromEnvelope = extractSnsEnvelopeContext(message.Body, ROOT_CONTEXT);
    if (fromEnvelope.carrier !== 'none') extracted = fromEnvelope;
  }
  const system = isObject(message.Attributes) ? message.Attributes : {};
  return {
    extracted,
    queueUrl,
    messageId: stringOrUndefined(message.MessageId),
    receiveCount: receiveCount(system[APPROXIMATE_RECEIVE_COUNT]),
    sentTimestamp: stringOrUndefined(system[SENT_TIMESTAMP]),
    region,
  };
}

export function rememberMessage(message: object, state: ReceivedMessageState): void {
  states.set(message, state);
}

export function rememberedMessage(message: unknown): ReceivedMessageState | undefined {
  return isObject(message) ? states.get(message) : undefined;
}
