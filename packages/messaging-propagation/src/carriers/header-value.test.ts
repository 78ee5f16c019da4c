import { MAX_BAGGAGE_LENGTH, MAX_REPEATED_VALUES, MAX_TRACESTATE_LENGTH } from './limits';
import { readPropagationValue, setOwnValue } from './header-value';

describe('readPropagationValue', () => {
  it('passes strings and decodes UTF-8 bytes', () => {
    expect(readPropagationValue('abc', 'traceparent')).toBe('abc');
    expect(readPropagationValue(Buffer.from('é=1'), 'baggage')).toBe('é=1');
    expect(readPropagationValue(new Uint8Array(Buffer.from('x')), 'baggage')).toBe('x');
  });

  it('reads a Buffer that is a slice of a larger pool correctly', () => {
    const pool = Buffer.from('junk-traceparent-junk');
    expect(readPropagationValue(pool.subarray(5, 16), 'x')).toBe('traceparent');
  });

  it('treats non-UTF-8 bytes as absent', () => {
    expect(readPropagationValue(Buffer.from([0xff, 0xfe]), 'traceparent')).toBeUndefined();
    expect(readPropagationValue(Buffer.from([0xc3, 0x28]), 'traceparent')).toBeUndefined();
  });

  it('treats values past the field limit as absent', () => {
    expect(readPropagationValue('a'.repeat(MAX_TRACESTATE_LENGTH), 'tracestate')).toHaveLength(MAX_TRACESTATE_LENGTH);
    expect(readPropagationValue('a'.repeat(MAX_TRACESTATE_LENGTH + 1), 'tracestate')).toBeUndefined();
    expect(readPropagationValue('a'.repeat(MAX_BAGGAGE_LENGTH + 1), 'baggage')).toBeUndefined();
    expect(readPropagationValue(Buffer.alloc(MAX_BAGGAGE_LENGTH * 4 + 1, 0x61), 'baggage')).toBeUndefined();
  });

  it('reads arrays up to a bounded number of values, skipping unreadable ones', () => {
    const many = Array.from({ length: 1000 }, (_, i) => `v${i}`);
    expect(readPropagationValue(many, 'baggage')).toHaveLength(MAX_REPEATED_VALUES);
    expect(readPropagationValue([1, 'a', null], 'baggage')).toBe('a');
    expect(readPropagationValue([1, null], 'baggage')).toBeUndefined();
  });

  it('caps repeated values together at the field limit (found by the hostile-input property tests)', () => {
    const half = 'k=v,'.repeat(MAX_BAGGAGE_LENGTH / 8);
    const read = readPropagationValue([half, half, half, half], 'baggage');
    expect(read).toEqual([half, half]);
    expect(readPropagationValue(['a'.repeat(MAX_TRACESTATE_LENGTH), 'b'], 'tracestate')).toBe(
      'a'.repeat(MAX_TRACESTATE_LENGTH),
    );
  });

  it('applies the field limit whatever the case of the field name', () => {
    expect(readPropagationValue('a'.repeat(MAX_TRACESTATE_LENGTH + 1), 'TraceState')).toBeUndefined();
    expect(readPropagationValue(['a'.repeat(600)], 'TRACEPARENT')).toBeUndefined();
  });

  it('reads numbers, objects, null and symbols as absent', () => {
    for (const value of [0, 1, null, undefined, {}, true, Symbol('s')]) {
      expect(readPropagationValue(value, 'traceparent')).toBeUndefined();
    }
  });
});

describe('setOwnValue', () => {
  it('defines __proto__ as a plain own key instead of replacing the prototype', () => {
    const carrier: Record<string, unknown> = {};
    setOwnValue(carrier, '__proto__', 'x');
    expect(Object.getPrototypeOf(carrier)).toBe(Object.prototype);
    expect(Object.keys(carrier)).toEqual(['__proto__']);
  });
});
