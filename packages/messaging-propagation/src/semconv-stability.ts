// Which generation of messaging names otel-mq emits, chosen the way OpenTelemetry
// chooses for HTTP and database conventions: `OTEL_SEMCONV_STABILITY_OPT_IN`, a
// comma-separated list; `messaging/dup` adds the 1.44 names beside the 1.45 ones,
// `messaging` (or nothing) emits 1.45 only. Read once, when this module loads.
import type { Attributes } from '@opentelemetry/api';
import { LEGACY_ATTRIBUTE_NAMES, LEGACY_SYSTEM_VALUES, ATTR_MESSAGING_SYSTEM } from './semconv-legacy';

export const SEMCONV_STABILITY_OPT_IN_ENV = 'OTEL_SEMCONV_STABILITY_OPT_IN';

/** `current`: semconv 1.45 names only; `dup`: 1.45 names and, beside them, the 1.44 ones. */
export type MessagingSemconvMode = 'current' | 'dup';

export function parseSemconvStabilityOptIn(value: string | undefined): MessagingSemconvMode {
  if (typeof value !== 'string') return 'current';
  return value.split(',').some((token) => token.trim().toLowerCase() === 'messaging/dup') ? 'dup' : 'current';
}

let emitLegacy = parseSemconvStabilityOptIn(process.env[SEMCONV_STABILITY_OPT_IN_ENV]) === 'dup';

export function messagingSemconvMode(): MessagingSemconvMode {
  return emitLegacy ? 'dup' : 'current';
}

/** Bumped at every change of mode: attribute sets built once and kept (`ConstantAttributes`) are rebuilt after it. */
let modeGeneration = 0;

/** Changes whenever the mode does. */
export function semconvModeGeneration(): number {
  return modeGeneration;
}

/**
 * Overrides the mode read from the environment (tests, and applications that
 * configure in code). Spans started after the call follow it, those of existing
 * producers, consumers and channels included.
 */
export function setMessagingSemconvMode(mode: MessagingSemconvMode): void {
  const legacy = mode === 'dup';
  if (legacy === emitLegacy) return;
  emitLegacy = legacy;
  modeGeneration++;
}

/**
 * In `dup` mode, adds to `attributes` (in place) the 1.44 name of every attribute
 * 1.45 renamed, with the same value (`messaging.system` with its 1.44 value);
 * in `current` mode returns them untouched. Returns `attributes`.
 */
export function withLegacyNames(attributes: Attributes): Attributes {
  if (!emitLegacy) return attributes;
  for (const name of Object.keys(attributes)) {
    const legacy = LEGACY_ATTRIBUTE_NAMES[name];
    if (legacy === undefined) continue;
    const value = attributes[name];
    attributes[legacy] =
      legacy === ATTR_MESSAGING_SYSTEM && typeof value === 'string' ? (LEGACY_SYSTEM_VALUES[value] ?? value) : value;
  }
  return attributes;
}
