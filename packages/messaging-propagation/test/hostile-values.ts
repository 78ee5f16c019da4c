/** Values a stranger can put in a header: every carrier test feeds these to its getter. */
export const HOSTILE_VALUES: unknown[] = [
  undefined,
  null,
  0,
  42,
  Number.NaN,
  true,
  {},
  [],
  [null],
  [1, 2, 3],
  { nested: { deeper: 'x' } },
  '',
  'garbage',
  '00-00000000000000000000000000000000-0000000000000000-01',
  '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01',
  '00-00000000000000000000000000000000-00f067aa0ba902b7-01',
  '00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01',
  'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
  '00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01',
  '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7',
  `00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01${'x'.repeat(100_000)}`,
  'x'.repeat(1_000_000),
  Buffer.from([0xff, 0xfe, 0xfd, 0x00, 0xc3, 0x28]),
  Buffer.alloc(1_000_000, 0x61),
  new Uint8Array([0xc0, 0xaf]),
  Symbol('header'),
  () => 'traceparent',
  Object.create(null) as object,
];

/** Header maps built to trip up naive code. */
export function hostileCarriers(): unknown[] {
  const withProto = JSON.parse(
    '{"__proto__": {"traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}, "constructor": {"prototype": {"polluted": true}}}',
  ) as unknown;
  const throwing = new Proxy(
    {},
    {
      get() {
        throw new Error('hostile getter');
      },
      ownKeys() {
        throw new Error('hostile keys');
      },
      getOwnPropertyDescriptor() {
        throw new Error('hostile descriptor');
      },
    },
  );
  return [
    undefined,
    null,
    'traceparent',
    42,
    [],
    ['00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'],
    withProto,
    throwing,
    ...HOSTILE_VALUES.map((value) => ({ traceparent: value, tracestate: value, baggage: value })),
  ];
}
