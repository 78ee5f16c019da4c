import { EventEmitter } from 'node:events';
import { trace } from '@opentelemetry/api';
import { createExitSweep, installExitSweep } from './exit-sweep';
import { endOpenSpans, trackOpenOperation } from './open-spans';
import type { AbandonReason } from './open-spans';

class FakeProcess extends EventEmitter {
  pid = 4242;
  kill = jest.fn();
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

/** An open operation that remembers how it was ended. */
function openOperation() {
  const reasons: AbandonReason[] = [];
  const untrack = trackOpenOperation({ abandon: (reason) => void reasons.push(reason) });
  return { reasons, untrack };
}

describe('the sweep at exit', () => {
  const forceFlush = jest.fn(() => Promise.resolve());
  beforeAll(() => trace.setGlobalTracerProvider({ getTracer: () => trace.getTracer('noop'), forceFlush } as never));
  afterAll(() => trace.disable());
  beforeEach(() => {
    endOpenSpans();
    forceFlush.mockClear();
  });

  it('on beforeExit ends what is still open, then flushes the global tracer provider', async () => {
    const fake = new FakeProcess();
    createExitSweep(fake as unknown as NodeJS.Process);
    const stuck = openOperation();
    const settled = openOperation();
    settled.untrack();
    fake.emit('beforeExit', 0);
    await tick();
    expect(stuck.reasons).toEqual(['exit']);
    expect(settled.reasons).toEqual([]);
    expect(forceFlush).toHaveBeenCalledTimes(1);
    // The loop runs dry again after the flush: nothing left to end, nothing to flush.
    fake.emit('beforeExit', 0);
    await tick();
    expect(forceFlush).toHaveBeenCalledTimes(1);
  });

  it('runs the added flushes instead (the register entry shuts its SDK down)', async () => {
    const fake = new FakeProcess();
    const flush = jest.fn(() => Promise.resolve());
    createExitSweep(fake as unknown as NodeJS.Process).addFlush(flush);
    fake.emit('beforeExit', 0);
    await tick();
    expect(flush).toHaveBeenCalledTimes(1);
    expect(forceFlush).not.toHaveBeenCalled();
  });

  it('on a signal nobody else handles: ends, flushes, then re-raises it', async () => {
    const fake = new FakeProcess();
    createExitSweep(fake as unknown as NodeJS.Process);
    const stuck = openOperation();
    let finish!: () => void;
    forceFlush.mockImplementationOnce(() => new Promise<void>((resolve) => (finish = resolve)));
    fake.emit('SIGTERM');
    await tick();
    expect(stuck.reasons).toEqual(['exit']);
    expect(fake.kill).not.toHaveBeenCalled();
    finish();
    await tick();
    expect(fake.kill).toHaveBeenCalledWith(4242, 'SIGTERM');
    expect(fake.listenerCount('SIGTERM')).toBe(0);
  });

  it('leaves a signal the application handles, and its open spans, to the application', async () => {
    const fake = new FakeProcess();
    createExitSweep(fake as unknown as NodeJS.Process);
    const appHandler = jest.fn();
    fake.on('SIGINT', appHandler);
    const stuck = openOperation();
    fake.emit('SIGINT');
    await tick();
    expect(appHandler).toHaveBeenCalled();
    expect(stuck.reasons).toEqual([]);
    expect(fake.kill).not.toHaveBeenCalled();
  });

  it('re-raises with no open spans at once, without flushing', async () => {
    const fake = new FakeProcess();
    createExitSweep(fake as unknown as NodeJS.Process);
    fake.emit('SIGTERM');
    await tick();
    expect(forceFlush).not.toHaveBeenCalled();
    expect(fake.kill).toHaveBeenCalledWith(4242, 'SIGTERM');
  });

  it('is installed once per process, however many plugins (or copies of them) ask', () => {
    const listeners = process.listenerCount('beforeExit');
    const sweep = installExitSweep();
    expect(installExitSweep()).toBe(sweep);
    expect(process.listenerCount('beforeExit')).toBeLessThanOrEqual(listeners + 1);
    expect((globalThis as Record<symbol, unknown>)[Symbol.for('otel-mq.exit-sweep')]).toBe(sweep);
  });
});
