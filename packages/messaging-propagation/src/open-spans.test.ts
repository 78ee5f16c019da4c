import { SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { endOpenSpans, trackOpenSpan, untrackOpenSpan } from './open-spans';

describe('open process spans', () => {
  const exporter = new InMemorySpanExporter();
  const tracer = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] }).getTracer('t');

  it('ends the spans still open as HandlerUnsettledAtExitError, and only those', () => {
    const settled = tracer.startSpan('settled');
    const stuck = tracer.startSpan('stuck');
    trackOpenSpan(settled);
    trackOpenSpan(stuck);
    untrackOpenSpan(settled);
    settled.end();

    expect(endOpenSpans()).toBe(1);
    expect(endOpenSpans()).toBe(0);
    const ended = exporter.getFinishedSpans().find((span) => span.name === 'stuck');
    expect(ended?.status.code).toBe(SpanStatusCode.ERROR);
    expect(ended?.attributes['error.type']).toBe('HandlerUnsettledAtExitError');
  });
});
