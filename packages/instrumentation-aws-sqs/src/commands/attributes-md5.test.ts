import { md5OfMessageAttributes } from './attributes-md5';

// Expected digests from the Hash-object implementation this one replaced (one
// `update` per length-prefixed field), which fauxqs 2.4 answers the same.
describe('md5OfMessageAttributes', () => {
  it('digests non-ASCII names and values, lone surrogates, binary and custom data types', () => {
    expect(
      md5OfMessageAttributes({
        'é-name': { DataType: 'String', StringValue: '日本 \u{1F600} \uD800' },
        bin: { DataType: 'Binary', BinaryValue: new Uint8Array([0, 255, 1]) },
        n: { DataType: 'Number.int', StringValue: '42' },
      }),
    ).toBe('9df61ef8f10dedc0e2cfd664e911fcc4');
  });

  it('digests a value larger than the Buffer pool', () => {
    expect(md5OfMessageAttributes({ a: { DataType: 'String', StringValue: 'x'.repeat(70_000) } })).toBe(
      '138929d7a1bcf7946c5ad9d2d8db90fd',
    );
  });

  it('has no digest for an attribute SQS would not have sent', () => {
    expect(md5OfMessageAttributes({ a: { DataType: 'String' } })).toBeUndefined();
    expect(md5OfMessageAttributes({ a: { StringValue: 'x' } })).toBeUndefined();
  });
});
