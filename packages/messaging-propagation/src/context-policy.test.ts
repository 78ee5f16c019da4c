import { createContextKey, diag, propagation, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import type { Context, DiagLogger } from '@opentelemetry/api';
import { SPAN_ID, TRACE_ID, TRACEPARENT, useW3CPropagators } from '../test/global-propagator';
import { kafkaHeadersGetter } from './carriers/kafka-headers';
import { parseConsumerContextMode, resolveConsumerContext } from './context-policy';
import { extractFromCarrier } from './extract';

useW3CPropagators();

const headers = { traceparent: Buffer.from(TRACEPARENT), baggage: Buffer.from('tenant=acme') };
let extracted: Context;
beforeAll(() => {
  // After useW3CPropagators has installed the propagators.
  extracted = extractFromCarrier(headers, kafkaHeadersGetter);
});
const producer = { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: TraceFlags.SAMPLED, isRemote: true };

function silentLogger(): DiagLogger & { warn: jest.Mock; debug: jest.Mock } {
  return { error: jest.fn(), warn: jest.fn(), info: jest.fn(), debug: jest.fn(), verbose: jest.fn() };
}

describe('resolveConsumerContext', () => {
  it("'parent' (default): child of the producer, linked to it, baggage kept", () => {
    const result = resolveConsumerContext(extracted, { system: 'kafka', destination: 'orders' });
    expect(result.mode).toBe('parent');
    expect(trace.getSpanContext(result.parentContext)).toEqual(producer);
    expect(result.links).toEqual([{ context: producer }]);
    expect(result.producerSpanContext).toEqual(producer);
    expect(propagation.getBaggage(result.parentContext)?.getEntry('tenant')?.value).toBe('acme');
  });

  it("'link': a new trace from the consumer's own context, linked to the producer, baggage dropped", () => {
    const result = resolveConsumerContext(extracted, { system: 'kafka', policy: 'link' });
    expect(result.mode).toBe('link');
    expect(trace.getSpanContext(result.parentContext)).toBeUndefined();
    expect(result.links).toEqual([{ context: producer }]);
    expect(propagation.getBaggage(result.parentContext)).toBeUndefined();
  });

  it('says at debug level what it decided, for "my trace stops at the queue" troubleshooting', () => {
    const logger = silentLogger();
    resolveConsumerContext(extracted, { system: 'kafka', destination: 'orders', logger });
    resolveConsumerContext(ROOT_CONTEXT, { system: 'rabbitmq', destination: 'jobs', logger });
    expect(logger.debug.mock.calls).toEqual([
      [
        'otel-mq: consumed message carries trace context',
        { system: 'kafka', destination: 'orders', traceId: TRACE_ID, spanId: SPAN_ID, mode: 'parent' },
      ],
      [
        'otel-mq: consumed message carries no valid trace context; new trace',
        { system: 'rabbitmq', destination: 'jobs' },
      ],
    ]);
  });

  it('keeps the other values of the base context', () => {
    const key = createContextKey('test key');
    const base = ROOT_CONTEXT.setValue(key, 'kept');
    for (const policy of ['parent', 'link'] as const) {
      expect(resolveConsumerContext(extracted, { system: 'kafka', policy, base }).parentContext.getValue(key)).toBe(
        'kept',
      );
    }
  });

  it('lets a predicate decide per message and tells it the destination and producer', () => {
    const policy = jest.fn(({ destination }: { destination: string | undefined }) =>
      destination === 'public' ? 'link' : 'parent',
    );
    expect(resolveConsumerContext(extracted, { system: 'rabbitmq', destination: 'public', policy }).mode).toBe('link');
    expect(resolveConsumerContext(extracted, { system: 'rabbitmq', destination: 'internal', policy }).mode).toBe(
      'parent',
    );
    expect(policy).toHaveBeenCalledWith({ system: 'rabbitmq', destination: 'public', producerSpanContext: producer });
  });

  it("fails closed: a predicate that throws or returns nonsense means 'link', logged", () => {
    const logger = silentLogger();
    const throwing = () => {
      throw new Error('bad predicate');
    };
    expect(resolveConsumerContext(extracted, { system: 'aws.sqs', policy: throwing, logger }).mode).toBe('link');
    const nonsense = (() => 'maybe') as unknown as () => 'parent';
    expect(resolveConsumerContext(extracted, { system: 'aws.sqs', policy: nonsense, logger }).mode).toBe('link');
    expect(logger.warn).toHaveBeenCalledTimes(2);
  });

  it('without producer context: the base context, no links, and the predicate is not asked', () => {
    const policy = jest.fn(() => 'parent' as const);
    for (const carrier of [
      undefined,
      {},
      { traceparent: 'garbage' },
      { traceparent: `00-${'0'.repeat(32)}-${SPAN_ID}-01` },
    ]) {
      const result = resolveConsumerContext(extractFromCarrier(carrier, kafkaHeadersGetter), {
        system: 'kafka',
        policy,
      });
      expect(result).toEqual({ parentContext: ROOT_CONTEXT, links: [], producerSpanContext: undefined, mode: 'none' });
    }
    expect(policy).not.toHaveBeenCalled();
  });

  it("keeps baggage that arrived without a span context only under 'parent'", () => {
    const onlyBaggage = extractFromCarrier({ baggage: 'tenant=acme' }, kafkaHeadersGetter);
    const parent = resolveConsumerContext(onlyBaggage, { system: 'kafka' });
    expect(propagation.getBaggage(parent.parentContext)?.getEntry('tenant')?.value).toBe('acme');
    const link = resolveConsumerContext(onlyBaggage, { system: 'kafka', policy: 'link' });
    expect(propagation.getBaggage(link.parentContext)).toBeUndefined();
  });

  it('does not log through the global diag logger on the happy path', () => {
    const spy = jest.spyOn(diag, 'warn');
    resolveConsumerContext(extracted, { system: 'kafka' });
    expect(spy).not.toHaveBeenCalled();
  });
});

describe('parseConsumerContextMode', () => {
  it.each([
    ['parent', 'parent'],
    [' LINK ', 'link'],
    ['trust', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('%p → %p', (text, mode) => {
    expect(parseConsumerContextMode(text)).toBe(mode);
  });
});
