import { INVALID_SPAN_CONTEXT, trace } from '@opentelemetry/api';
import type { Span } from '@opentelemetry/api';
import { ATTR_MESSAGING_MESSAGE_BODY_SIZE } from '../semconv';
import { messageBodySize, setMessageBodySize } from './body-size';

describe('messageBodySize', () => {
  it('counts bytes, not UTF-16 code units', () => {
    expect(messageBodySize('hello')).toBe(5);
    expect(messageBodySize('é€😀')).toBe(2 + 3 + 4);
    expect('é€😀'.length).toBe(4);
    expect(messageBodySize('')).toBe(0);
  });

  it('takes the byte length of Buffers, typed arrays, views and ArrayBuffers', () => {
    expect(messageBodySize(Buffer.from('é€'))).toBe(5);
    expect(messageBodySize(new Uint8Array(7))).toBe(7);
    expect(messageBodySize(new Float64Array(2))).toBe(16);
    expect(messageBodySize(new DataView(new ArrayBuffer(9), 2))).toBe(7);
    expect(messageBodySize(new ArrayBuffer(3))).toBe(3);
  });

  it('has no size for what is not a body', () => {
    for (const body of [null, undefined, 42, {}, [1, 2], true]) expect(messageBodySize(body)).toBeUndefined();
  });

  it('never throws on a hostile body', () => {
    const hostile = new Proxy(
      {},
      {
        getPrototypeOf() {
          throw new Error('trap');
        },
      },
    );
    expect(messageBodySize(hostile)).toBeUndefined();
  });
});

describe('setMessageBodySize', () => {
  function fakeSpan(recording: boolean) {
    const set: Record<string, unknown> = {};
    const span = {
      isRecording: () => recording,
      setAttribute: (name: string, value: unknown) => {
        set[name] = value;
        return span;
      },
    } as unknown as Span;
    return { span, set };
  }

  it('sets the size on a recording span', () => {
    const { span, set } = fakeSpan(true);
    setMessageBodySize(span, 'né');
    expect(set).toEqual({ [ATTR_MESSAGING_MESSAGE_BODY_SIZE]: 3 });
  });

  it('does nothing for a span that does not record, or a body without a size', () => {
    const unsampled = fakeSpan(false);
    setMessageBodySize(unsampled.span, 'body');
    expect(unsampled.set).toEqual({});
    const noBody = fakeSpan(true);
    setMessageBodySize(noBody.span, null);
    expect(noBody.set).toEqual({});
    expect(() => setMessageBodySize(trace.wrapSpanContext(INVALID_SPAN_CONTEXT), 'x')).not.toThrow();
  });
});
