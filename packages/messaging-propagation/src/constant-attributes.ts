// Attributes that are the same for every message of one producer, consumer or
// channel and destination: built once and shared by all their spans. The SDK
// copies a span's start attributes, and the metrics read them, so one frozen
// object can serve every message.
import type { Attributes } from '@opentelemetry/api';
import { semconvModeGeneration } from './semconv-stability';

/** Destinations remembered per owner: beyond this (topic churn) attributes are built per message instead. */
export const MAX_CONSTANT_ATTRIBUTE_SETS = 256;

export class ConstantAttributes {
  private byOwner = new WeakMap<object, Map<string, Attributes>>();
  /** The naming mode the sets were built in: a change of mode forgets them all. */
  private generation = semconvModeGeneration();

  /** The attributes remembered for `owner` and `key`, if any. */
  get(owner: object, key: string): Attributes | undefined {
    if (this.generation !== semconvModeGeneration()) {
      this.byOwner = new WeakMap();
      this.generation = semconvModeGeneration();
      return undefined;
    }
    return this.byOwner.get(owner)?.get(key);
  }

  /** Remembers `attributes` (frozen) for `owner` and `key`, room permitting, and returns them. */
  remember(owner: object, key: string, attributes: Attributes): Attributes {
    let sets = this.byOwner.get(owner);
    if (!sets) {
      sets = new Map();
      this.byOwner.set(owner, sets);
    }
    if (sets.size >= MAX_CONSTANT_ATTRIBUTE_SETS) return attributes;
    const frozen = Object.freeze(attributes);
    sets.set(key, frozen);
    return frozen;
  }
}
