import { ROOT_CONTEXT, SpanStatusCode, context, trace } from '@opentelemetry/api';
import type { DiagLogger } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { MessagingMetrics } from './metrics';
import { endOwnedOperations } from './open-spans';
import { runInOperation, runInOperationAsReturned, RunningOperation } from './running-operation';
import type { OperationKind } from './running-operation';

const exporter = new InMemorySpanExporter();
const tracer = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] }).getTracer('test');
const contextManager = new AsyncLocalStorageContextManager().enable();
beforeAll(() => context.setGlobalContextManager(contextManager));
afterAll(() => context.disable());
beforeEach(() => exporter.reset());

class OwnerClosed extends Error {}
const KIND: OperationKind = {
  what: 'test process',
  metrics: { duration: 'process', consumed: 1 },
  ownerClosedError: () => new OwnerClosed('closed'),
};

function operation(kind: OperationKind = KIND, Operation: typeof RunningOperation = RunningOperation) {
  const processDuration = { record: jest.fn() };
  const consumedMessages = { add: jest.fn() };
  const sentMessages = { add: jest.fn() };
  const metrics = { processDuration, consumedMessages, sentMessages } as unknown as MessagingMetrics;
  const diag = { error: jest.fn() } as unknown as DiagLogger;
  const span = tracer.startSpan('process q');
  const attributes = { 'messaging.system.name': 'kafka', 'messaging.operation.name': 'process' };
  const running = new Operation(
    { metrics: () => metrics, diag },
    kind,
    span,
    ROOT_CONTEXT,
    attributes,
    performance.now(),
  );
  return { running, span, processDuration, consumedMessages, sentMessages, diag };
}

const ended = () => exporter.getFinishedSpans();

describe('RunningOperation', () => {
  it('ends once, recording the duration and the message count', () => {
    const { running, processDuration, consumedMessages } = operation();
    running.finish({ failed: false });
    running.finish({ failed: true, error: new Error('late') });
    expect(ended()).toHaveLength(1);
    expect(ended()[0]?.status.code).toBe(SpanStatusCode.UNSET);
    expect(processDuration.record).toHaveBeenCalledTimes(1);
    expect(consumedMessages.add).toHaveBeenCalledWith(
      1,
      expect.not.objectContaining({ 'error.type': expect.anything() }),
    );
  });

  it("ends with the owner's closed error when its owner closes, and is no longer tracked after", () => {
    const owner = {};
    const { running } = operation();
    running.track(owner);
    expect(endOwnedOperations(owner)).toBe(1);
    expect(ended()[0]?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'closed' });
    expect(endOwnedOperations(owner)).toBe(0);
  });

  it('stops being tracked when it ends', () => {
    const owner = {};
    const { running } = operation();
    running.track(owner).finish({ failed: false });
    expect(endOwnedOperations(owner)).toBe(0);
  });
});

describe('RunningOperation ends', () => {
  it('counts what the end says when the count is only known then', () => {
    const { running, consumedMessages, sentMessages } = operation();
    running.finish({ failed: false }, { sent: 7 });
    expect(sentMessages.add).toHaveBeenCalledWith(7, expect.anything());
    expect(consumedMessages.add).not.toHaveBeenCalled();
  });

  it('discard forgets it unended and unrecorded; a later finish does nothing', () => {
    const owner = {};
    const { running, processDuration } = operation();
    running.track(owner).discard();
    running.finish({ failed: false });
    expect(ended()).toHaveLength(0);
    expect(processDuration.record).not.toHaveBeenCalled();
    expect(endOwnedOperations(owner)).toBe(0);
  });

  it("runs an extension's beforeEnd once, and still ends the span when it throws", () => {
    const seen: boolean[] = [];
    class Extended extends RunningOperation {
      protected override beforeEnd(outcome: { failed: boolean }): void {
        seen.push(outcome.failed);
        this.span.setAttribute('test.before_end', true);
        throw new Error('extension bug');
      }
    }
    const { running, diag } = operation(KIND, Extended);
    running.finish({ failed: true, error: new Error('x') });
    running.finish({ failed: false });
    expect(seen).toEqual([true]);
    expect(ended()).toHaveLength(1);
    expect(ended()[0]?.attributes['test.before_end']).toBe(true);
    expect(diag.error).toHaveBeenCalledWith('otel-mq: test process telemetry failed', expect.any(Error));
  });

  it("ends with the kind's exit error at exit, HandlerUnsettledAtExitError by default", () => {
    class Pending extends Error {}
    const withExitError = operation({ ...KIND, exitError: () => new Pending('pending at exit') });
    withExitError.running.abandon('exit');
    operation().running.abandon('exit');
    expect(ended().map((span) => span.status.message)).toEqual([
      'pending at exit',
      'the process ended before the message handler settled',
    ]);
  });

  it('makes its context (parent with its span) once, on first use', () => {
    const { running, span } = operation();
    expect(trace.getSpan(running.context)).toBe(span);
    expect(running.context).toBe(running.context);
    expect(running.parent).toBe(ROOT_CONTEXT);
  });
});

describe('runInOperation', () => {
  it('runs the work in the span context and settles like it', async () => {
    const { running, span } = operation();
    await expect(runInOperation(running, () => trace.getActiveSpan())).resolves.toBe(span);
    expect(ended()).toHaveLength(1);
  });

  it('turns a synchronous throw into a rejection and a failed span', async () => {
    const { running } = operation();
    const boom = new Error('boom');
    await expect(
      runInOperation(running, () => {
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(ended()[0]?.status.code).toBe(SpanStatusCode.ERROR);
  });

  it('adopts a thenable that is not a native promise, and ends when it settles', async () => {
    const { running } = operation();
    let settle!: (value: string) => void;
    const thenable = { then: (resolve: (value: string) => void) => (settle = resolve) };
    const returned = runInOperation(running, () => thenable as unknown as Promise<string>);
    await Promise.resolve();
    expect(ended()).toHaveLength(0);
    settle('late');
    await expect(returned).resolves.toBe('late');
    expect(ended()).toHaveLength(1);
  });

  it('fails the span for a rejection with undefined', async () => {
    const { running } = operation();
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the case under test
    await expect(runInOperation(running, () => Promise.reject(undefined))).rejects.toBeUndefined();
    expect(ended()[0]?.status.code).toBe(SpanStatusCode.ERROR);
  });
});

describe('runInOperationAsReturned', () => {
  it('passes a synchronous value straight through and ends at once', () => {
    const { running } = operation();
    expect(runInOperationAsReturned(running, () => 42, 'as-returned')).toBe(42);
    expect(ended()).toHaveLength(1);
  });

  it('rethrows a synchronous throw', () => {
    const { running } = operation();
    expect(() =>
      runInOperationAsReturned(
        running,
        () => {
          throw new Error('sync');
        },
        'ignored',
      ),
    ).toThrow('sync');
    expect(ended()[0]?.status.code).toBe(SpanStatusCode.ERROR);
  });

  it("'as-returned' gives a promise settling after the span ends; 'ignored' gives the work's own promise", async () => {
    const first = operation();
    const returned = runInOperationAsReturned(first.running, () => Promise.resolve('x'), 'as-returned');
    await expect(returned).resolves.toBe('x');
    expect(ended()).toHaveLength(1);

    const second = operation();
    const own = Promise.resolve('y');
    expect(runInOperationAsReturned(second.running, () => own, 'ignored')).toBe(own);
    await own;
    await Promise.resolve();
    expect(ended()).toHaveLength(2);
  });

  it('treats a value whose then getter throws as a plain value', () => {
    const { running } = operation();
    const hostile = Object.defineProperty({}, 'then', {
      get() {
        throw new Error('hostile');
      },
    });
    expect(runInOperationAsReturned(running, () => hostile, 'as-returned')).toBe(hostile);
    expect(ended()).toHaveLength(1);
  });
});
