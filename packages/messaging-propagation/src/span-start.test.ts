import { ROOT_CONTEXT, SpanKind } from '@opentelemetry/api';
import type { Attributes } from '@opentelemetry/api';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import type { Sampler, SamplingResult } from '@opentelemetry/sdk-trace';
import { SAMPLER_ATTRIBUTE_NAMES, startMessagingSpan } from './span-start';

const attributes: Attributes = {
  'messaging.system': 'rabbitmq',
  'messaging.operation.name': 'publish',
  'messaging.operation.type': 'send',
  'messaging.destination.name': 'orders',
  'server.address': 'broker',
  'server.port': 5672,
  'messaging.message.id': 'm-1',
  'messaging.rabbitmq.destination.routing_key': 'orders',
};

function setup(sampler: Sampler) {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ sampler, spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  return { exporter, provider, tracer: provider.getTracer('test') };
}

describe('startMessagingSpan', () => {
  it('gives the sampler only the sampling-relevant attributes, and the finished span all of them', async () => {
    const seen: Attributes[] = [];
    const recording = new AlwaysOnSampler();
    const { exporter, provider, tracer } = setup({
      shouldSample: (...args: Parameters<Sampler['shouldSample']>): SamplingResult => {
        seen.push(args[4]);
        return recording.shouldSample(...args);
      },
      toString: () => 'spy',
    });
    const link = { context: { traceId: '1'.repeat(32), spanId: '2'.repeat(16), traceFlags: 1 } };
    const span = startMessagingSpan(
      tracer,
      'publish orders',
      { kind: SpanKind.PRODUCER, attributes, links: [link], startTime: [1, 0] },
      ROOT_CONTEXT,
    );
    span.end();
    await provider.forceFlush();
    expect(seen).toEqual([
      {
        'messaging.system': 'rabbitmq',
        'messaging.operation.name': 'publish',
        'messaging.operation.type': 'send',
        'messaging.destination.name': 'orders',
        'server.address': 'broker',
        'server.port': 5672,
      },
    ]);
    const [finished] = exporter.getFinishedSpans();
    expect(finished?.attributes).toEqual(attributes);
    expect(finished?.kind).toBe(SpanKind.PRODUCER);
    expect(finished?.links).toEqual([link]);
    expect(finished?.startTime).toEqual([1, 0]);
  });

  it('sets nothing more on a span that does not record', () => {
    const { tracer } = setup(new AlwaysOffSampler());
    const span = startMessagingSpan(tracer, 'publish orders', { kind: SpanKind.PRODUCER, attributes }, ROOT_CONTEXT);
    const setAttributes = jest.spyOn(span, 'setAttributes');
    expect(span.isRecording()).toBe(false);
    expect(setAttributes).not.toHaveBeenCalled();
    span.end();
  });

  it('starts a span without attributes as given', async () => {
    const { exporter, provider, tracer } = setup(new AlwaysOnSampler());
    startMessagingSpan(tracer, 'settle', { kind: SpanKind.CLIENT }, ROOT_CONTEXT).end();
    await provider.forceFlush();
    expect(exporter.getFinishedSpans()[0]?.attributes).toEqual({});
  });

  it('lists only low-cardinality attributes for samplers', () => {
    for (const name of SAMPLER_ATTRIBUTE_NAMES) expect(name).not.toMatch(/message\.id|key|offset|body|conversation/);
  });
});
