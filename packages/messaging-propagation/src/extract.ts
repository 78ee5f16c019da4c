import { diag, propagation, ROOT_CONTEXT } from '@opentelemetry/api';
import type { Context, TextMapGetter } from '@opentelemetry/api';

/**
 * Extracts the producer's context from a carrier with the global propagator.
 * A propagator that throws on hostile input yields no context, never an error.
 */
export function extractFromCarrier<C>(carrier: C, getter: TextMapGetter<C>, base: Context = ROOT_CONTEXT): Context {
  if (carrier === undefined || carrier === null) return base;
  try {
    return propagation.extract(base, carrier, getter);
  } catch (error) {
    diag.debug('otel-mq: propagator failed to extract, treating the message as having no context', error);
    return base;
  }
}
