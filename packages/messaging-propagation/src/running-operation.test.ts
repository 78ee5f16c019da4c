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

function operation(kind: OperationKind = KIND) {
  const processDuration = { record: jest.fn() };
  const consumedMessages = { add: jest.fn() };
  const metrics = { processDuration, consumedMessages } as unknown as MessagingMetrics;
  const diag = { error: jest.fn() } as unknown as DiagLogger;
  const span = tracer.startSpan('process q');
  const attributes = { 'messaging.system.name': 'kafka', 'messaging.operation.name': 'process' };
  const running = new RunningOperation(
    { metrics: () => metrics, diag },
    kind,
    span,
    trace.setSpan(ROOT_CONTEXT, span),
    attributes,
    performance.now(),
  );
  return { running, span, processDuration, consumedMessages };
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
