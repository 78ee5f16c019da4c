import type { DiagLogger } from '@opentelemetry/api';
import { runUserHook, safeExecute } from './safe-execute';

function logger(): DiagLogger & { error: jest.Mock } {
  return { error: jest.fn(), warn: jest.fn(), info: jest.fn(), debug: jest.fn(), verbose: jest.fn() };
}

describe('safeExecute', () => {
  it('returns the result, or undefined with a logged error', () => {
    const log = logger();
    expect(safeExecute(log, 'ok', () => 5)).toBe(5);
    expect(
      safeExecute(log, 'inject', () => {
        throw new Error('boom');
      }),
    ).toBeUndefined();
    expect(log.error).toHaveBeenCalledWith('otel-mq: inject failed; carrying on uninstrumented', expect.any(Error));
  });
});

describe('runUserHook', () => {
  it('calls the hook with its arguments', () => {
    const hook = jest.fn();
    runUserHook(logger(), 'producerHook', hook, 'span', { topic: 't' });
    expect(hook).toHaveBeenCalledWith('span', { topic: 't' });
  });

  it('contains a throwing hook and a rejecting one', async () => {
    const log = logger();
    runUserHook(log, 'producerHook', () => {
      throw new Error('sync');
    });
    runUserHook(log, 'consumerHook', () => Promise.reject(new Error('async')));
    await new Promise((resolve) => setImmediate(resolve));
    expect(log.error).toHaveBeenCalledWith('otel-mq: producerHook threw', expect.any(Error));
    expect(log.error).toHaveBeenCalledWith('otel-mq: consumerHook rejected', expect.any(Error));
  });

  it('ignores a missing hook', () => {
    expect(() => runUserHook(logger(), 'hook', undefined)).not.toThrow();
  });
});
