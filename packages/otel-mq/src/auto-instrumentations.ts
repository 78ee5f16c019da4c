import { diag } from '@opentelemetry/api';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { UPSTREAM_COUNTERPARTS } from './plugins';
import type { MessagingPluginName } from './plugins';

type GetNodeAutoInstrumentations = (config: Record<string, { enabled?: boolean }>) => Instrumentation[];

/**
 * Loads `@opentelemetry/auto-instrumentations-node` (an optional peer dependency)
 * with the upstream instrumentations that our enabled plugins replace turned off,
 * so no message is instrumented twice. Returns none, with a warning, when the
 * package is not installed.
 */
export function loadAutoInstrumentations(
  replacedBy: readonly MessagingPluginName[],
  // A lazy require: the package is an optional peer, loaded only when asked for.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  load: () => unknown = () => require('@opentelemetry/auto-instrumentations-node'),
): Instrumentation[] {
  let getNodeAutoInstrumentations: GetNodeAutoInstrumentations | undefined;
  try {
    getNodeAutoInstrumentations = (load() as { getNodeAutoInstrumentations?: GetNodeAutoInstrumentations })
      .getNodeAutoInstrumentations;
  } catch (error) {
    diag.warn(
      'otel-mq: OTEL_MQ_AUTO_INSTRUMENTATIONS is on but @opentelemetry/auto-instrumentations-node is not installed',
      error,
    );
    return [];
  }
  if (typeof getNodeAutoInstrumentations !== 'function') {
    diag.warn('otel-mq: @opentelemetry/auto-instrumentations-node has no getNodeAutoInstrumentations(); skipped');
    return [];
  }
  const config: Record<string, { enabled: boolean }> = {};
  for (const plugin of replacedBy) config[UPSTREAM_COUNTERPARTS[plugin]] = { enabled: false };
  return getNodeAutoInstrumentations(config);
}
