import { SpanStatusCode } from '@opentelemetry/api';
import type { Span } from '@opentelemetry/api';
import { errorType, recordSpanError } from './errors';

class KafkaJSProtocolError extends Error {
  type = 'UNKNOWN_TOPIC_OR_PARTITION';
}
class ThrottlingException extends Error {
  override name = 'ThrottlingException';
}

describe('errorType', () => {
  it.each([
    [new KafkaJSProtocolError('x'), 'UNKNOWN_TOPIC_OR_PARTITION'],
    [Object.assign(new Error('x'), { code: 'ECONNREFUSED' }), 'ECONNREFUSED'],
    [new ThrottlingException('x'), 'ThrottlingException'],
    [new TypeError('x'), 'TypeError'],
    [new Error('x'), 'Error'],
    ['a string', '_OTHER'],
    [undefined, '_OTHER'],
    [{ type: 'has spaces and is long '.repeat(10) }, 'Object'],
    [Object.create(null), '_OTHER'],
  ])('%p → %p', (error, expected) => {
    expect(errorType(error)).toBe(expected);
  });
});

describe('recordSpanError', () => {
  it('sets error.type, ERROR status and an exception event', () => {
    const span = { setAttribute: jest.fn(), setStatus: jest.fn(), recordException: jest.fn() };
    const error = new TypeError('bad');
    recordSpanError(span as unknown as Span, error);
    expect(span.setAttribute).toHaveBeenCalledWith('error.type', 'TypeError');
    expect(span.setStatus).toHaveBeenCalledWith({ code: SpanStatusCode.ERROR, message: 'bad' });
    expect(span.recordException).toHaveBeenCalledWith(error);
  });
});
