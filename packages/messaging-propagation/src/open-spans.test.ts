import { SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { endOpenSpans, endOwnedOperations, trackOpenOperation, trackOpenSpan, untrackOpenSpan } from './open-spans';
import type { AbandonReason } from './open-spans';

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

describe('open operations with an owner', () => {
  it("ends an owner's operations when it closes, and every other one at exit", () => {
    const ended: Array<[string, AbandonReason]> = [];
    const track = (name: string, owner?: object) =>
      trackOpenOperation({ abandon: (reason) => void ended.push([name, reason]) }, owner);
    const [channel, other] = [{}, {}];
    track('on channel', channel);
    const untrack = track('settled on channel', channel);
    track('on other');
    track('ownerless');
    track('on other channel', other);
    untrack();

    expect(endOwnedOperations(channel)).toBe(1);
    expect(endOwnedOperations(channel)).toBe(0);
    expect(endOwnedOperations('not an object')).toBe(0);
    expect(endOpenSpans()).toBe(3);
    expect(ended).toEqual([
      ['on channel', 'owner-closed'],
      ['on other', 'exit'],
      ['ownerless', 'exit'],
      ['on other channel', 'exit'],
    ]);
    expect(endOwnedOperations(other)).toBe(0);
  });

  it('carries on past an operation that throws when ended', () => {
    trackOpenOperation({
      abandon: () => {
        throw new Error('broken');
      },
    });
    const reasons: AbandonReason[] = [];
    trackOpenOperation({ abandon: (reason) => void reasons.push(reason) });
    expect(endOpenSpans()).toBe(1);
    expect(reasons).toEqual(['exit']);
  });
});
