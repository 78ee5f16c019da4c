// Attribute builders that read message input, under generated hostile input:
// RabbitMQ x-death headers, Kafka keys, broker URLs (credentials must never come out).
import fc from 'fast-check';
import {
  checkHostile,
  counter,
  headerMapOf,
  headerValue,
  hostileObject,
  materialize,
  RUNS,
  scalarValue,
} from '../../test/hostile-arbitraries';
import { kafkaKeyToString, MAX_KAFKA_KEY_ATTRIBUTE_LENGTH } from './kafka';
import { deadLetterAttributes } from './rabbitmq';
import { parseHostPort, serverFromUrl } from './server';

const count = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(Number.MAX_SAFE_INTEGER, Number.MAX_VALUE, -1, 0, Number.NaN, Number.POSITIVE_INFINITY),
  fc.bigInt(),
  scalarValue,
);
const deathEntry = fc.oneof(
  fc.record(
    {
      count,
      queue: headerValue,
      reason: fc.oneof(fc.constantFrom('rejected', 'expired', 'maxlen', 'delivery_limit'), headerValue),
      time: scalarValue,
      exchange: headerValue,
      'routing-keys': fc.array(headerValue, { maxLength: 4 }),
    },
    { requiredKeys: [] },
  ),
  headerValue,
  hostileObject,
);
const deathHeaders = fc.oneof(
  fc
    .record(
      {
        'x-death': fc.oneof(fc.array(deathEntry, { maxLength: 100 }), headerValue, hostileObject),
        'x-first-death-queue': headerValue,
        'x-first-death-reason': headerValue,
        'x-first-death-exchange': headerValue,
      },
      { requiredKeys: [] },
    )
    .map((headers) => headers as unknown),
  headerMapOf(headerValue),
);

describe('attribute builders under generated hostile input', () => {
  it(`deadLetterAttributes (amqp x-death): never throws, bounded, well-typed attributes (${RUNS} inputs)`, () => {
    const runs = counter();
    fc.assert(
      fc.property(deathHeaders, (recipe) => {
        runs.tick();
        const headers = materialize(recipe);
        checkHostile(headers, () => {
          const attributes = deadLetterAttributes(headers);
          const deathCount = attributes['otel_mq.rabbitmq.death.count'];
          if (deathCount !== undefined) {
            expect(Number.isSafeInteger(deathCount)).toBe(true);
            expect(deathCount).toBeGreaterThan(0);
          }
          for (const key of ['otel_mq.rabbitmq.death.first_queue', 'otel_mq.rabbitmq.death.first_reason']) {
            const text = attributes[key];
            if (text === undefined) continue;
            expect(typeof text).toBe('string');
            expect((text as string).length).toBeLessThanOrEqual(255);
          }
          expect(Object.keys(attributes).length).toBeLessThanOrEqual(3);
        });
      }),
      { numRuns: RUNS },
    );
    console.log(`hostile-input: ${runs.count()} generated x-death header sets tried against deadLetterAttributes`);
  });

  it(`kafkaKeyToString: a UTF-8 string of at most ${MAX_KAFKA_KEY_ATTRIBUTE_LENGTH} characters, or nothing (${RUNS} inputs)`, () => {
    const runs = counter();
    fc.assert(
      fc.property(scalarValue, (recipe) => {
        runs.tick();
        const key = materialize(recipe);
        checkHostile(key, () => {
          const text = kafkaKeyToString(key);
          if (text === undefined) return;
          expect(typeof text).toBe('string');
          expect(text.length).toBeGreaterThan(0);
          expect(text.length).toBeLessThanOrEqual(MAX_KAFKA_KEY_ATTRIBUTE_LENGTH);
        });
      }),
      { numRuns: RUNS },
    );
    console.log(`hostile-input: ${runs.count()} generated Kafka keys tried`);
  });

  it(`serverFromUrl and parseHostPort never return credentials (${RUNS} inputs)`, () => {
    const secret = fc
      .string({ unit: fc.constantFrom(...'abcdefXYZ0123456789'), minLength: 6, maxLength: 12 })
      .map((s) => `S3CR3T${s}`);
    const url = fc
      .tuple(
        fc.constantFrom('amqp', 'amqps', 'http', 'https', 'kafka', ''),
        fc.string({ maxLength: 8 }),
        secret,
        fc.constantFrom('rabbit.example', '127.0.0.1', '[::1]', 'localhost', ''),
        fc.oneof(
          fc.constant(''),
          fc.integer({ min: -1, max: 70000 }).map((port) => `:${port}`),
        ),
        fc.string({ maxLength: 20 }),
      )
      .map(([scheme, user, password, host, port, path]) => ({
        text: `${scheme}://${user}:${password}@${host}${port}/${path}`,
        password,
      }));
    const runs = counter();
    fc.assert(
      fc.property(url, scalarValue, ({ text, password }, recipe) => {
        runs.tick();
        const other = materialize(recipe);
        checkHostile(other, () => {
          for (const server of [
            serverFromUrl(text, 5672),
            parseHostPort(text),
            serverFromUrl(other),
            parseHostPort(other),
          ]) {
            if (server === undefined) continue;
            expect(JSON.stringify(server)).not.toContain(password);
            if (server.port !== undefined) expect(server.port >= 1 && server.port <= 65535).toBe(true);
          }
          expect(JSON.stringify(serverFromUrl(text, 5672) ?? {})).not.toContain(password);
        });
      }),
      { numRuns: RUNS },
    );
    console.log(`hostile-input: ${runs.count()} generated broker URLs tried`);
  });
});
