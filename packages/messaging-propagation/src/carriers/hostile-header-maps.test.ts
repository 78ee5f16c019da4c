// Kafka and AMQP header carriers under generated hostile input: getters, the
// extract path, setters and copy-on-write injection.
import { context, propagation, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import type { TextMapGetter, TextMapSetter } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import fc from 'fast-check';
import { useW3CPropagators } from '../../test/global-propagator';
import {
  baggageLike,
  checkGetter,
  checkHostile,
  counter,
  headerKey,
  headerMapOf,
  headerValue,
  materialize,
  RUNS,
  validTraceparent,
} from '../../test/hostile-arbitraries';
import { injectIntoCopy } from '../inject';
import { amqpHeadersGetter, amqpHeadersSetter } from './amqp-headers';
import { kafkaHeadersGetter, kafkaHeadersSetter } from './kafka-headers';

useW3CPropagators();

const carriers = headerMapOf(headerValue);

/** A plain header map that a spread can copy (not an array, not a Proxy that throws). */
function copyable(headers: unknown): boolean {
  try {
    return typeof headers === 'object' && headers !== null && !Array.isArray(headers) && Boolean({ ...headers });
  } catch {
    return false;
  }
}

describe.each([
  ['Kafka', kafkaHeadersGetter as TextMapGetter<unknown>, kafkaHeadersSetter as TextMapSetter<unknown>],
  ['AMQP', amqpHeadersGetter as TextMapGetter<unknown>, amqpHeadersSetter as TextMapSetter<unknown>],
])('%s headers under generated hostile input', (name, getter, setter) => {
  it(`getter and extract: never throw, valid or no span context, bounded output (${RUNS} inputs)`, () => {
    const runs = counter();
    fc.assert(
      fc.property(carriers, headerKey, (recipe, key) => {
        runs.tick();
        const carrier = materialize(recipe);
        checkHostile(carrier, () => checkGetter(getter, carrier, key));
      }),
      { numRuns: RUNS },
    );
    console.log(`hostile-input: ${runs.count()} generated carriers tried against the ${name} getter and extract`);
  });

  const injected = fc
    .tuple(validTraceparent, fc.boolean(), fc.option(baggageLike, { nil: undefined }))
    .map(([traceparent, sampled, baggageText]) => {
      let ctx = trace.setSpanContext(ROOT_CONTEXT, {
        traceId: traceparent.slice(3, 35),
        spanId: traceparent.slice(36, 52),
        traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
        isRemote: false,
        traceState: new TraceState('vendor=value'),
      });
      if (baggageText !== undefined) {
        const incoming = propagation.getBaggage(propagation.extract(ROOT_CONTEXT, { baggage: baggageText }));
        if (incoming) ctx = propagation.setBaggage(ctx, incoming);
      }
      return ctx;
    });

  it(`injectIntoCopy: never throws, never mutates the caller's headers, keeps user headers (${RUNS} inputs)`, () => {
    const runs = counter();
    fc.assert(
      fc.property(carriers, injected, (recipe, ctx) => {
        runs.tick();
        const headers = materialize(recipe);
        checkHostile(headers, () => {
          const copy = context.with(ctx, () => injectIntoCopy(ctx, headers as object, setter as TextMapSetter<object>));
          // A header map that can be copied is copied; anything else comes back as it was, uninjected.
          if (headers === undefined || headers === null || copyable(headers)) {
            expect(copy !== headers).toBe(true);
            expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
          } else {
            expect(copy === headers).toBe(true);
          }
        });
      }),
      { numRuns: RUNS },
    );
    console.log(`hostile-input: ${runs.count()} generated header maps injected into with the ${name} setter`);
  });

  it(`setter: any key lands as an own property of the copy, never on a prototype (${RUNS} inputs)`, () => {
    const runs = counter();
    fc.assert(
      fc.property(fc.array(fc.tuple(headerKey, fc.string({ maxLength: 60 })), { maxLength: 10 }), (writes) => {
        runs.tick();
        checkHostile(undefined, () => {
          const carrier: Record<string, unknown> = {};
          for (const [key, value] of writes) setter.set(carrier, key, value);
          expect(Object.getPrototypeOf(carrier)).toBe(Object.prototype);
          for (const [key] of writes.slice(-1)) {
            expect(Object.prototype.propertyIsEnumerable.call(carrier, key)).toBe(true);
          }
        });
      }),
      { numRuns: RUNS },
    );
    console.log(`hostile-input: ${runs.count()} generated write sequences tried against the ${name} setter`);
  });
});
