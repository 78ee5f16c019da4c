// Generators of hostile carrier input for the property tests next to each carrier
// (src/carriers/hostile-*.test.ts), and the invariants every read path must keep:
// never throw, never return an invalid span context, stay within the size caps of
// carriers/limits.ts, never touch Object.prototype, never mutate the input.
import { createHash } from 'node:crypto';
import { isSpanContextValid, propagation, trace } from '@opentelemetry/api';
import type { Context, TextMapGetter } from '@opentelemetry/api';
import fc from 'fast-check';
import {
  MAX_BAGGAGE_LENGTH,
  MAX_REPEATED_VALUES,
  MAX_TRACESTATE_LENGTH,
  maxLengthForField,
} from '../src/carriers/limits';
import { extractFromCarrier } from '../src/extract';

/** Property runs per surface: thousands, as the issue asks. */
export const RUNS = Number(process.env['HOSTILE_INPUT_RUNS'] ?? 2000);

// ------------------------------------------------------------------ values

const HEX = [...'0123456789abcdef'];
const hexString = (length: number) =>
  fc.string({ unit: fc.constantFrom(...HEX), minLength: length, maxLength: length });

/** A well-formed traceparent: mostly valid, so the parsers get past their first check. */
export const validTraceparent = fc
  .tuple(hexString(32), hexString(16), fc.constantFrom('00', '01', '03', 'ff'))
  .map(([traceId, spanId, flags]) => `00-${traceId}-${spanId}-${flags}`);

/** traceparents broken in every way a stranger could break one. */
export const traceparentLike = fc.oneof(
  validTraceparent,
  validTraceparent.map((text) => text.toUpperCase()),
  validTraceparent.map((text) => `ff${text.slice(2)}`),
  validTraceparent.map((text) => `${text}-${'x'.repeat(40)}`),
  validTraceparent.map((text) => ` ${text} `),
  validTraceparent.chain((text) => fc.nat(text.length).map((cut) => text.slice(0, cut))),
  validTraceparent.chain((text) =>
    fc
      .tuple(fc.nat(text.length - 1), fc.string({ minLength: 1, maxLength: 1 }))
      .map(([at, char]) => text.slice(0, at) + char + text.slice(at + 1)),
  ),
  fc.constant('00-00000000000000000000000000000000-0000000000000000-01'),
  fc.constant('00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01'),
  fc
    .tuple(
      fc.string({ maxLength: 3 }),
      fc.string({ maxLength: 34 }),
      fc.string({ maxLength: 18 }),
      fc.string({ maxLength: 3 }),
    )
    .map((parts) => parts.join('-')),
  fc.string({ maxLength: 80 }),
);

/** Long text made cheaply: a short generated unit repeated up to `max` characters (fast-check builds strings char by char). */
const longText = (max: number) =>
  fc
    .tuple(fc.string({ minLength: 1, maxLength: 8 }), fc.nat(max))
    .map(([unit, length]) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length));

const listMemberKey = fc.oneof(
  fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789_-*/@'), minLength: 1, maxLength: 20 }),
  fc.string({ maxLength: 10 }),
);
/** tracestate: lists of key=value, too many members, members too long, separators out of place. */
export const tracestateLike = fc.oneof(
  fc
    .array(fc.tuple(listMemberKey, fc.oneof(fc.string({ maxLength: 30 }), longText(300))), { maxLength: 40 })
    .map((members) => members.map(([key, value]) => `${key}=${value}`).join(',')),
  fc.array(fc.constantFrom(',', '=', ' ', '\t', 'a', '\u0000'), { maxLength: 100 }).map((chars) => chars.join('')),
  longText(600),
);

/** baggage: key=value;properties lists, bad percent-encoding, huge members, many members. */
export const baggageLike = fc.oneof(
  fc
    .array(
      fc.tuple(
        fc.oneof(listMemberKey, fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString')),
        fc.oneof(
          fc.string({ maxLength: 30 }),
          longText(200),
          fc.constantFrom('%', '%zz', '%E2%82', '%00', 'x'.repeat(5000)),
        ),
        fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 }),
      ),
      { maxLength: 100 },
    )
    .map((members) => members.map(([key, value, props]) => [`${key}=${value}`, ...props].join(';')).join(',')),
  longText(9000),
);

// Built once: MB-sized values cost nothing to pick, and a fresh 4 MB per run would only test the allocator.
const MB = 1024 * 1024;
const HUGE_VALUES: unknown[] = [
  'a'.repeat(MB),
  `00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01${' '.repeat(4 * MB)}`,
  `${'k=v,'.repeat(MB / 4)}`,
  Buffer.alloc(2 * MB, 0x61),
  Buffer.alloc(MB, 0xff),
  Array.from({ length: 100_000 }, () => '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'),
  new Array(10_000_000),
];
export const hugeValue = fc.constantFrom(...HUGE_VALUES);

/** Bytes that are often not UTF-8: a random byte is overwritten with a lone continuation or an invalid lead. */
export const bytesLike = fc.oneof(
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
  fc
    .tuple(fc.uint8Array({ minLength: 1, maxLength: 100 }), fc.nat(), fc.constantFrom(0xff, 0xfe, 0xc0, 0x80, 0xed))
    .map(([bytes, at, byte]) => {
      const buffer = Buffer.from(bytes);
      buffer[at % buffer.length] = byte;
      return buffer;
    }),
  // A slice of a larger pool, as kafkajs hands out header values.
  fc
    .tuple(traceparentLike, fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 }))
    .map(([text, before, after]) => Buffer.from(before + text + after).subarray(Buffer.byteLength(before))),
  traceparentLike.map((text) => Buffer.from(text)),
  traceparentLike.map((text) => new Uint8Array(Buffer.from(text))),
  traceparentLike.map((text) => Buffer.from(text, 'utf16le')),
);

/** An object whose every read throws. */
export function throwingProxy(): object {
  const fail = (): never => {
    throw new Error('hostile proxy');
  };
  return new Proxy(
    {},
    {
      get: fail,
      has: fail,
      ownKeys: fail,
      getOwnPropertyDescriptor: fail,
      getPrototypeOf: fail,
      set: fail,
      defineProperty: fail,
      deleteProperty: fail,
    },
  );
}

/** A Proxy revoked before use: every operation on it throws a TypeError. */
export function revokedProxy(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

/** Own enumerable properties whose getters throw, under the names carriers look for. */
export function throwingGetters(keys: string[]): object {
  const target = {};
  for (const key of keys) {
    Object.defineProperty(target, key, {
      enumerable: true,
      get() {
        throw new Error(`hostile getter ${key}`);
      },
    });
  }
  return target;
}

/** An object whose conversions to text or number throw. */
function unconvertible(): object {
  const fail = (): never => {
    throw new Error('hostile conversion');
  };
  return { toString: fail, valueOf: fail, [Symbol.toPrimitive]: fail, toJSON: fail };
}

/** Nesting as deep as the runtime's stack comfortably allows, in objects or arrays. */
function deeplyNested(depth: number, asArray: boolean): unknown {
  let value: unknown = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
  for (let i = 0; i < depth; i++) value = asArray ? [value] : { value, traceparent: value };
  return value;
}

// fast-check inspects every value it generates (clone checks, failure reports), and a
// hostile Proxy would throw inside fast-check itself. So the arbitraries generate
// markers, and `materialize` builds the real hostile objects inside the property.
const HOSTILE_MARKER = '\u0000hostile:';
const marker = (kind: string) => `${HOSTILE_MARKER}${kind}`;

function buildHostile(kind: string): unknown {
  switch (kind) {
    case 'proxy':
      return throwingProxy();
    case 'revoked':
      return revokedProxy();
    case 'getters':
      return throwingGetters([
        'traceparent',
        'tracestate',
        'baggage',
        'value',
        'StringValue',
        'stringValue',
        'Value',
        'DataType',
        'dataType',
        'count',
        'x-death',
        'AWSTraceHeader',
      ]);
    case 'unconvertible':
      return unconvertible();
    case 'null-prototype':
      return Object.assign(Object.create(null) as object, {
        traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      });
    case 'date':
      return new Date(0);
    case 'deep-object':
      return deeplyNested(1000, false);
    case 'deep-array':
      return deeplyNested(1000, true);
    default:
      throw new Error(`unknown hostile marker ${kind}`);
  }
}

const HOSTILE_KINDS = [
  'proxy',
  'revoked',
  'getters',
  'unconvertible',
  'null-prototype',
  'date',
  'deep-object',
  'deep-array',
];
/** A marker for an object that fights back; see `materialize`. */
export const hostileObject = fc.constantFrom(...HOSTILE_KINDS.map(marker));

/**
 * The generated value with its markers replaced by fresh hostile objects
 * (throwing Proxies, revoked Proxies, throwing getters, deep nesting, ...).
 * Plain objects are rebuilt with the same own keys, `__proto__` included.
 */
export function materialize(value: unknown, depth = 0): unknown {
  if (typeof value === 'string' && value.startsWith(HOSTILE_MARKER))
    return buildHostile(value.slice(HOSTILE_MARKER.length));
  if (depth > 20 || value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return value;
  if (Array.isArray(value)) return value.length > 1000 ? value : value.map((item) => materialize(item, depth + 1));
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  const record = value as Record<string, unknown>;
  return ownObject(Object.keys(record).map((key) => [key, materialize(record[key], depth + 1)]));
}

/** One value a header could hold, from the plausible to the absurd (markers: see `materialize`). */
export const scalarValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: traceparentLike, weight: 4 },
  { arbitrary: tracestateLike, weight: 2 },
  { arbitrary: baggageLike, weight: 2 },
  { arbitrary: bytesLike, weight: 4 },
  { arbitrary: fc.oneof(fc.integer(), fc.double(), fc.bigInt(), fc.boolean()), weight: 1 },
  { arbitrary: fc.constantFrom(null, undefined, Symbol('hostile'), () => 'traceparent'), weight: 1 },
  { arbitrary: hugeValue, weight: 1 },
  { arbitrary: hostileObject, weight: 1 },
);

/** A header value: a scalar, a (possibly huge) array of them, or a nested table. */
export const headerValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: scalarValue, weight: 6 },
  { arbitrary: fc.array(scalarValue, { maxLength: 12 }), weight: 2 },
  { arbitrary: fc.dictionary(fc.string({ maxLength: 10 }), scalarValue, { maxKeys: 4 }), weight: 1 },
  // amqplib's typed form, with anything inside.
  { arbitrary: fc.record({ '!': fc.constantFrom('longstr', 'binary', 'int', ''), value: scalarValue }), weight: 1 },
);

/** Keys carriers look up, in every spelling, plus the keys that pollute prototypes. */
export const POLLUTION_KEYS = ['__proto__', 'constructor', 'prototype'];
export const headerKey = fc.oneof(
  fc.constantFrom(
    'traceparent',
    'TraceParent',
    'TRACEPARENT',
    'tracestate',
    'TraceState',
    'baggage',
    'Baggage',
    'b3',
    'x-death',
    ...POLLUTION_KEYS,
    'hasOwnProperty',
    'toString',
  ),
  fc.string({ maxLength: 20 }),
);

/**
 * An object with exactly these own enumerable properties: `__proto__` becomes an
 * own key (as `JSON.parse` makes it), not the prototype.
 */
export function ownObject(entries: Array<[string, unknown]>): Record<string, unknown> {
  const target: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return target;
}

/** Header maps: generated entries, JSON text with pollution keys, and maps that fight back. */
export function headerMapOf(value: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.oneof(
    { arbitrary: fc.array(fc.tuple(headerKey, value), { maxLength: 12 }).map(ownObject), weight: 8 },
    {
      arbitrary: fc
        .tuple(fc.constantFrom(...POLLUTION_KEYS), traceparentLike, fc.constantFrom('traceparent', 'polluted'))
        .map(
          ([key, text, inner]) =>
            JSON.parse(
              `{"${key}": {"${inner}": ${JSON.stringify(text)}, "prototype": {"polluted": true}}, "traceparent": ${JSON.stringify(text)}}`,
            ) as unknown,
        ),
      weight: 1,
    },
    {
      arbitrary: fc.oneof(
        fc.constantFrom(
          null,
          undefined,
          'traceparent',
          42,
          [],
          ['00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'],
        ),
        fc.constantFrom(marker('proxy'), marker('revoked'), marker('getters'), marker('null-prototype')),
      ),
      weight: 1,
    },
  );
}

// ------------------------------------------------------------------ invariants

/**
 * A structural fingerprint of `value`, one line per reachable property, that never
 * runs user code: own property descriptors are read (getters are not called), bytes
 * are hashed, and anything that throws when inspected (a Proxy) is recorded as
 * such. Iterative, so 1000-level nesting is no problem.
 */
export function fingerprint(root: unknown): string {
  const lines: string[] = [];
  const seen = new Set<unknown>();
  // Lines name a property by depth and key, not by full path: 2000-level paths would be megabytes.
  const stack: Array<[number, string, unknown]> = [[0, '$', root]];
  while (stack.length > 0) {
    const [depth, path, value] = stack.pop() as [number, string, unknown];
    if (value === null || (typeof value !== 'object' && typeof value !== 'function')) {
      // Strings are immutable: only a replacement can change one, and length plus ends show that cheaply.
      const text =
        typeof value === 'string' && value.length > 256
          ? `${value.length} ${JSON.stringify(value.slice(0, 64))}…${JSON.stringify(value.slice(-64))}`
          : typeof value === 'string'
            ? JSON.stringify(value)
            : String(value);
      lines.push(`${path} ${typeof value} ${text}`);
      continue;
    }
    if (seen.has(value)) {
      lines.push(`${path} <seen>`);
      continue;
    }
    seen.add(value);
    try {
      if (ArrayBuffer.isView(value)) {
        const bytes = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
        lines.push(`${path} bytes ${value.byteLength} ${createHash('sha1').update(bytes).digest('hex')}`);
        continue;
      }
      const proto = Object.getPrototypeOf(value) as unknown;
      const protoName =
        proto === Object.prototype ? 'Object' : proto === Array.prototype ? 'Array' : proto === null ? 'null' : 'other';
      const keys = Reflect.ownKeys(value);
      lines.push(`${path} ${typeof value} ${protoName} frozen=${Object.isFrozen(value)} keys=${keys.length}`);
      // Only the first entries of huge arrays: reading 10^7 holes is slow, and a change past them implausible.
      for (const key of Array.isArray(value) && keys.length > 1000 ? keys.slice(0, 1000) : keys) {
        const descriptor = Reflect.getOwnPropertyDescriptor(value, key);
        const child = `${depth + 1}:${String(key)}${descriptor?.enumerable ? '' : '(hidden)'}`;
        if (descriptor && 'value' in descriptor) stack.push([depth + 1, child, descriptor.value]);
        else lines.push(`${child} <accessor>`);
      }
    } catch {
      lines.push(`${path} <throws>`);
    }
  }
  return lines.join('\n');
}

const PROTOTYPES: Array<[string, object]> = [
  ['Object.prototype', Object.prototype],
  ['Array.prototype', Array.prototype],
  ['Function.prototype', Function.prototype],
];

/** The own keys of the built-in prototypes, to compare after a run. */
export function prototypeSnapshot(): Record<string, string[]> {
  return Object.fromEntries(PROTOTYPES.map(([name, proto]) => [name, Reflect.ownKeys(proto).map(String).sort()]));
}

/** Object.prototype (and friends) untouched, and no pollution visible on a fresh object. */
export function expectPrototypesUntouched(before: Record<string, string[]>): void {
  expect(prototypeSnapshot()).toEqual(before);
  const fresh = {} as Record<string, unknown>;
  for (const key of ['polluted', 'traceparent', 'tracestate', 'baggage', 'value', 'prototype']) {
    expect(fresh[key]).toBeUndefined();
  }
}

/** A context extracted from hostile input: no span context, or a valid one; tracestate and baggage within caps. */
export function expectSafeContext(context: Context): void {
  const spanContext = trace.getSpanContext(context);
  if (spanContext) {
    expect(isSpanContextValid(spanContext)).toBe(true);
    const traceState = spanContext.traceState?.serialize() ?? '';
    expect(traceState.length).toBeLessThanOrEqual(MAX_TRACESTATE_LENGTH);
  }
  const baggage = propagation.getBaggage(context);
  if (baggage) {
    let size = 0;
    for (const [key, entry] of baggage.getAllEntries()) size += key.length + entry.value.length + 1;
    expect(size).toBeLessThanOrEqual(MAX_BAGGAGE_LENGTH);
  }
}

/**
 * Runs `check` on `input` and asserts the cross-cutting invariants around it:
 * it did not throw (the property fails with the error), the input's fingerprint
 * is unchanged, and the built-in prototypes are untouched.
 */
export function checkHostile(input: unknown, check: () => void): void {
  const prototypes = prototypeSnapshot();
  const before = fingerprint(input);
  check();
  const after = fingerprint(input);
  // Compared as text, with a readable excerpt when they differ (the text can be megabytes).
  if (after !== before) expect(after.slice(0, 4000)).toBe(before.slice(0, 4000));
  expect(after === before).toBe(true);
  expectPrototypesUntouched(prototypes);
}

const LOOKUPS = ['traceparent', 'tracestate', 'baggage', 'TraceParent', 'b3', ...POLLUTION_KEYS];

/** Every read a propagator can make, bounded as carriers/limits.ts says, then the full extract. */
export function checkGetter(getter: TextMapGetter<unknown>, carrier: unknown, extraKey?: string): void {
  for (const key of extraKey === undefined ? LOOKUPS : [...LOOKUPS, extraKey]) {
    const read = getter.get(carrier, key);
    if (read === undefined) continue;
    const values = Array.isArray(read) ? read : [read];
    expect(values.length).toBeGreaterThan(0);
    expect(values.length).toBeLessThanOrEqual(MAX_REPEATED_VALUES);
    let total = 0;
    for (const text of values) {
      expect(typeof text).toBe('string');
      total += text.length;
    }
    // Repeated values together stay within the field's cap, as one value must.
    expect(total).toBeLessThanOrEqual(maxLengthForField(key.toLowerCase()));
  }
  const keys = getter.keys(carrier);
  expect(Array.isArray(keys)).toBe(true);
  for (const key of keys) expect(typeof key).toBe('string');
  expectSafeContext(extractFromCarrier(carrier, getter));
}

/** Counts property runs, for the line each test prints. */
export function counter(): { tick: () => void; count: () => number } {
  let tried = 0;
  return { tick: () => void tried++, count: () => tried };
}
