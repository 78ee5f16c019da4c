import { EventEmitter } from 'node:events';
import { trace } from '@opentelemetry/api';
import { trackOpenSpan } from '@org/messaging-propagation/internal';
import { installShutdownHooks } from './shutdown';

class FakeProcess extends EventEmitter {
  pid = 4242;
  kill = jest.fn();
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('installShutdownHooks', () => {
  it('flushes once on beforeExit', async () => {
    const fake = new FakeProcess();
    const shutdown = jest.fn(() => Promise.resolve());
    installShutdownHooks(shutdown, fake as unknown as NodeJS.Process);
    fake.emit('beforeExit', 0);
    fake.emit('beforeExit', 0);
    await tick();
    expect(shutdown).toHaveBeenCalledTimes(1);
  });

  it('ends process spans whose handler never settled before flushing, when the process is about to end', async () => {
    const fake = new FakeProcess();
    const ended: string[] = [];
    const stuck = trace.wrapSpanContext({ traceId: '1'.repeat(32), spanId: '2'.repeat(16), traceFlags: 1 });
    stuck.end = () => void ended.push('stuck');
    trackOpenSpan(stuck);
    const shutdown = jest.fn(() => {
      ended.push('flush');
      return Promise.resolve();
    });
    installShutdownHooks(shutdown, fake as unknown as NodeJS.Process);
    fake.emit('beforeExit', 0);
    await tick();
    expect(ended).toEqual(['stuck', 'flush']);
  });

  it('flushes on SIGTERM and re-raises it when nobody else handles it', async () => {
    const fake = new FakeProcess();
    let finish!: () => void;
    const shutdown = jest.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    installShutdownHooks(shutdown, fake as unknown as NodeJS.Process);
    fake.emit('SIGTERM');
    await tick();
    expect(fake.kill).not.toHaveBeenCalled();
    finish();
    await tick();
    expect(fake.kill).toHaveBeenCalledWith(4242, 'SIGTERM');
    expect(fake.listenerCount('SIGTERM')).toBe(0);
  });

  it('leaves the decision to exit to an application that handles the signal', async () => {
    const fake = new FakeProcess();
    const shutdown = jest.fn(() => Promise.resolve());
    installShutdownHooks(shutdown, fake as unknown as NodeJS.Process);
    const appHandler = jest.fn();
    fake.on('SIGINT', appHandler);
    fake.emit('SIGINT');
    await tick();
    expect(shutdown).toHaveBeenCalledTimes(1);
    expect(appHandler).toHaveBeenCalled();
    expect(fake.kill).not.toHaveBeenCalled();
  });

  it('still re-raises the signal when the flush fails', async () => {
    const fake = new FakeProcess();
    installShutdownHooks(() => Promise.reject(new Error('exporter down')), fake as unknown as NodeJS.Process);
    fake.emit('SIGTERM');
    await tick();
    await tick();
    expect(fake.kill).toHaveBeenCalledWith(4242, 'SIGTERM');
  });
});
