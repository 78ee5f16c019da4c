import { diag } from '@opentelemetry/api';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { UPSTREAM_COUNTERPARTS } from './plugins';
import type { MessagingPluginName } from './plugins';
import { stepAsideForAwsMessaging } from './upstream-aws-sdk';

type GetNodeAutoInstrumentations = (config: Record<string, { enabled?: boolean }>) => Instrumentation[];

/**
 * Upstream instrumentations that cover more than the plugin replacing them: they
 * stay on, with the replaced part made to step aside (true when it did).
 */
const PARTLY_REPLACED: Partial<Record<MessagingPluginName, (instrumentation: Instrumentation) => boolean>> = {
  'aws-sqs': stepAsideForAwsMessaging,
};

/**
 * Loads `@opentelemetry/auto-instrumentations-node` (an optional peer dependency)
 * with the upstream instrumentations that our enabled plugins replace turned off,
 * so no message is instrumented twice; the aws-sdk one stays on for every service
 * but SQS and SNS publishing (see `stepAsideForAwsMessaging`). Returns none, with a warning, when the package
 * is not installed.
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
  const stepAside = new Map<string, (instrumentation: Instrumentation) => boolean>();
  for (const plugin of replacedBy) {
    const upstream = UPSTREAM_COUNTERPARTS[plugin];
    if (upstream === undefined) continue;
    const partly = PARTLY_REPLACED[plugin];
    if (partly) stepAside.set(upstream, partly);
    else config[upstream] = { enabled: false };
  }
  return getNodeAutoInstrumentations(config).filter((instrumentation) => {
    const makeStepAside = stepAside.get(instrumentation.instrumentationName);
    if (!makeStepAside || makeStepAside(instrumentation)) return true;
    diag.warn(
      `otel-mq: ${instrumentation.instrumentationName} has a shape otel-mq does not know; turned off entirely so nothing is instrumented twice`,
    );
    try {
      instrumentation.disable();
    } catch (error) {
      diag.debug(`otel-mq: could not turn ${instrumentation.instrumentationName} off`, error);
    }
    return false;
  });
}
