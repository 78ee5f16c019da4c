import type { DiagLogger } from '@opentelemetry/api';
import { markOtelMqWrapper, warnOtherInstrumentation, wrapperOwner } from './coexistence';

function shimmerWrapped(): () => void {
  const wrapper = () => undefined;
  Object.defineProperty(wrapper, '__wrapped', { value: true });
  return wrapper;
}

describe('wrapperOwner', () => {
  it('tells an unwrapped function, ours and another instrumentation apart', () => {
    expect(wrapperOwner(() => undefined)).toBe('none');
    expect(wrapperOwner(undefined)).toBe('none');
    expect(wrapperOwner({ __wrapped: true })).toBe('none');
    const other = shimmerWrapped();
    expect(wrapperOwner(other)).toBe('other');
    const ours = shimmerWrapped();
    markOtelMqWrapper(ours);
    expect(wrapperOwner(ours)).toBe('otel-mq');
  });

  it('never throws on a frozen function', () => {
    const frozen = Object.freeze(shimmerWrapped());
    expect(() => markOtelMqWrapper(frozen)).not.toThrow();
    expect(wrapperOwner(frozen)).toBe('other');
  });
});

describe('warnOtherInstrumentation', () => {
  it('warns once per pair, naming both and how to keep one', () => {
    const warn = jest.fn();
    const logger = { warn } as unknown as DiagLogger;
    const warning = {
      plugin: '@org/instrumentation-test',
      pluginShortName: 'test',
      library: 'testlib',
      other: '@opentelemetry/instrumentation-testlib',
      outcome: 'leaves testlib to it',
    };
    expect(warnOtherInstrumentation(logger, warning)).toBe(true);
    expect(warnOtherInstrumentation(logger, { ...warning, outcome: 'something else' })).toBe(false);
    expect(warn).toHaveBeenCalledTimes(1);
    const message = String(warn.mock.calls[0]?.[0]);
    expect(message).toContain('@org/instrumentation-test');
    expect(message).toContain('@opentelemetry/instrumentation-testlib');
    expect(message).toContain('OTEL_MQ_AUTO_INSTRUMENTATIONS=true');
    expect(message).toContain('OTEL_NODE_DISABLED_INSTRUMENTATIONS=test');
  });
});
