import { diag, isSpanContextValid, propagation, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import type { Context, DiagLogger, Link, SpanContext } from '@opentelemetry/api';
import type { MessagingSystem } from './operations';

/**
 * How a consumer's process span relates to the producer's context:
 * - `'parent'`: the process span is a child of the producer's span (one connected
 *   trace) and also links to it; the producer's baggage is kept.
 * - `'link'`: the process span starts from the consumer's own context (a new trace
 *   for a push consumer) and only links to the producer; the producer's baggage is
 *   dropped. For untrusted producers, fan-out, or messages that wait for days.
 */
export type ConsumerContextMode = 'parent' | 'link';

/** What a policy function is told about one incoming message. */
export interface ConsumerContextPolicyInput {
  system: MessagingSystem;
  /** The destination the message was consumed from, as in `messaging.destination.name`. */
  destination: string | undefined;
  /** The producer's span context found in the message. */
  producerSpanContext: SpanContext;
}

/** A fixed mode, or a function deciding per message. A function that throws counts as `'link'`. */
export type ConsumerContextPolicy = ConsumerContextMode | ((input: ConsumerContextPolicyInput) => ConsumerContextMode);

export interface ConsumerContextOptions {
  system: MessagingSystem;
  destination?: string | undefined;
  /** @default 'parent' */
  policy?: ConsumerContextPolicy | undefined;
  /** The consumer's own context the span would have without a producer; @default ROOT_CONTEXT */
  base?: Context | undefined;
  /** Where a throwing policy function is reported. */
  logger?: DiagLogger | undefined;
}

/** The parent context and links for one process span. */
export interface ConsumerSpanContext {
  parentContext: Context;
  links: Link[];
  /** The producer's span context, when the message carried a valid one. */
  producerSpanContext: SpanContext | undefined;
  /** The mode applied; `'none'` when the message carried no valid context. */
  mode: ConsumerContextMode | 'none';
}

/**
 * Applies the consumer context policy to a context extracted from a message
 * (see `extractFromCarrier`). Never throws: a policy function that throws or
 * returns something else is treated as `'link'`, failing closed, since the
 * function is how users say which producers they do not trust.
 */
export function resolveConsumerContext(extracted: Context, options: ConsumerContextOptions): ConsumerSpanContext {
  const base = options.base ?? ROOT_CONTEXT;
  const policy = options.policy ?? 'parent';
  const producerSpanContext = trace.getSpanContext(extracted);
  if (!producerSpanContext || !isSpanContextValid(producerSpanContext)) {
    // With OTEL_LOG_LEVEL=debug, says why a consumer started a new trace. Arguments, not a
    // built string: nothing is formatted unless a logger is listening.
    (options.logger ?? diag).debug('otel-mq: consumed message carries no valid trace context; new trace', {
      system: options.system,
      destination: options.destination,
    });
    const baggage = policy === 'parent' ? propagation.getBaggage(extracted) : undefined;
    return {
      parentContext: baggage ? propagation.setBaggage(base, baggage) : base,
      links: [],
      producerSpanContext: undefined,
      mode: 'none',
    };
  }
  const mode = decide(
    policy,
    { system: options.system, destination: options.destination, producerSpanContext },
    options.logger,
  );
  (options.logger ?? diag).debug('otel-mq: consumed message carries trace context', {
    system: options.system,
    destination: options.destination,
    traceId: producerSpanContext.traceId,
    spanId: producerSpanContext.spanId,
    mode,
  });
  const links: Link[] = [{ context: producerSpanContext }];
  if (mode === 'link') return { parentContext: base, links, producerSpanContext, mode };
  let parentContext = trace.setSpanContext(base, producerSpanContext);
  const baggage = propagation.getBaggage(extracted);
  if (baggage) parentContext = propagation.setBaggage(parentContext, baggage);
  return { parentContext, links, producerSpanContext, mode };
}

function decide(
  policy: ConsumerContextPolicy,
  input: ConsumerContextPolicyInput,
  logger: DiagLogger | undefined,
): ConsumerContextMode {
  if (typeof policy !== 'function') return policy === 'link' ? 'link' : 'parent';
  try {
    const mode = policy(input);
    if (mode === 'parent' || mode === 'link') return mode;
    logger?.warn(`otel-mq: consumer context policy returned ${String(mode)}; using 'link'`);
  } catch (error) {
    logger?.warn("otel-mq: consumer context policy threw; using 'link'", error);
  }
  return 'link';
}

/** Parses a policy mode from configuration text (e.g. an environment variable); `undefined` when unrecognised. */
export function parseConsumerContextMode(value: string | undefined): ConsumerContextMode | undefined {
  const normalised = value?.trim().toLowerCase();
  return normalised === 'parent' || normalised === 'link' ? normalised : undefined;
}
