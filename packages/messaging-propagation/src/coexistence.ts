import type { DiagLogger } from '@opentelemetry/api';

/**
 * Telling our wrappers from another instrumentation's. Both go through shimmer-style
 * wrapping (`InstrumentationBase._wrap` marks a wrapper with `__wrapped`), so the flag
 * alone cannot say whose it is. Global symbols, so that two copies of a plugin (two
 * installed versions, or the register entry beside an application's own NodeSDK)
 * recognise each other's wrappers.
 */
const OTEL_MQ_WRAPPER = Symbol.for('@org/otel-mq/wrapper');
const WARNED = Symbol.for('@org/otel-mq/coexistence-warned');

/** Who wrapped a function: nobody, an otel-mq plugin (any copy), or another instrumentation. */
export type WrapperOwner = 'none' | 'otel-mq' | 'other';

/** Marks a function as an otel-mq wrapper (after `_wrap`), for `wrapperOwner`. Never throws. */
export function markOtelMqWrapper(wrapper: unknown): void {
  if (typeof wrapper !== 'function') return;
  try {
    Object.defineProperty(wrapper, OTEL_MQ_WRAPPER, { value: true, configurable: true });
  } catch {
    // A frozen function stays unmarked: at worst a later copy of the plugin warns once.
  }
}

/** Whose wrapper `fn` is: `'none'` for an unwrapped function or a non-function. */
export function wrapperOwner(fn: unknown): WrapperOwner {
  if (typeof fn !== 'function') return 'none';
  const marked = fn as unknown as Record<PropertyKey, unknown>;
  if (marked[OTEL_MQ_WRAPPER] === true) return 'otel-mq';
  return marked['__wrapped'] === true ? 'other' : 'none';
}

/** What the warning says about the two instrumentations of one library. */
export interface CoexistenceWarning {
  /** Our plugin, e.g. `@org/instrumentation-kafkajs`. */
  plugin: string;
  /** Its short name in `OTEL_NODE_DISABLED_INSTRUMENTATIONS`, e.g. `kafkajs`. */
  pluginShortName: string;
  /** The instrumented library, e.g. `kafkajs`. */
  library: string;
  /** The other instrumentation most likely in play, e.g. `@opentelemetry/instrumentation-kafkajs`. */
  other: string;
  /** What our plugin does about it, e.g. `leaves kafkajs to it`. */
  outcome: string;
}

/**
 * Logs, once per process and pair of instrumentations (whatever the number of
 * plugin copies), that a library is instrumented twice, what our plugin does about
 * it, and how to keep only one. Returns whether it logged.
 */
export function warnOtherInstrumentation(logger: DiagLogger, warning: CoexistenceWarning): boolean {
  const holder = globalThis as { [WARNED]?: Set<string> };
  const warned = (holder[WARNED] ??= new Set<string>());
  const key = `${warning.plugin}|${warning.other}`;
  if (warned.has(key)) return false;
  warned.add(key);
  logger.warn(
    `otel-mq: ${warning.library} is instrumented both by ${warning.plugin} and by another instrumentation ` +
      `(most likely ${warning.other}); ${warning.plugin} ${warning.outcome}, so that no message gets two ` +
      `producer spans or two injected contexts. Keep one of them: turn ${warning.other} off ` +
      `(OTEL_MQ_AUTO_INSTRUMENTATIONS=true with the register entry, or leave it out of your NodeSDK's ` +
      `instrumentations / set it to { enabled: false } in getNodeAutoInstrumentations()), or turn ` +
      `${warning.plugin} off (OTEL_NODE_DISABLED_INSTRUMENTATIONS=${warning.pluginShortName}).`,
  );
  return true;
}

const STEPPED_ASIDE = Symbol.for('@org/otel-mq/stepped-aside');

function steppedAside(): Set<string> {
  const holder = globalThis as { [STEPPED_ASIDE]?: Set<string> };
  return (holder[STEPPED_ASIDE] ??= new Set<string>());
}

/**
 * Records that another instrumentation (e.g. `@opentelemetry/instrumentation-aws-sdk`)
 * was made to leave `library` (e.g. `@aws-sdk/client-sqs`) to otel-mq while still
 * wrapping it: the plugin then instruments the library over that wrapper instead of
 * stepping aside itself. Process-wide, like the wrapper marks.
 */
export function markOtherSteppedAside(other: string, library: string): void {
  steppedAside().add(`${other}|${library}`);
}

/** Whether `markOtherSteppedAside(other, library)` was called in this process. */
export function otherSteppedAside(other: string, library: string): boolean {
  return steppedAside().has(`${other}|${library}`);
}
