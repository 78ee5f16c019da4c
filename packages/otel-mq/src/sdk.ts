import { diag } from '@opentelemetry/api';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { loadAutoInstrumentations } from './auto-instrumentations';
import { readEnvConfig } from './env';
import { enabledPlugins, getMessagingInstrumentations } from './instrumentations';
import { installShutdownHooks } from './shutdown';

/** What `startFromEnvironment` started. */
export interface StartedTelemetry {
  /** Flushes and shuts the SDK down; safe to call more than once. */
  shutdown(): Promise<void>;
  /** Names of the instrumentations that were loaded. */
  instrumentationNames: string[];
}

/**
 * Starts a NodeSDK configured entirely by the standard environment variables
 * (`OTEL_SERVICE_NAME`, `OTEL_TRACES_EXPORTER`, `OTEL_EXPORTER_OTLP_*`,
 * `OTEL_PROPAGATORS`, `OTEL_TRACES_SAMPLER[_ARG]`, `OTEL_LOG_LEVEL`,
 * `OTEL_RESOURCE_ATTRIBUTES`, `OTEL_SDK_DISABLED`, …) with the otel-mq
 * instrumentations, and flushes it on exit and on SIGTERM/SIGINT.
 */
export function startFromEnvironment(env: NodeJS.ProcessEnv = process.env): StartedTelemetry {
  const config = readEnvConfig(env);
  // Upstream's instrumentations are loaded before ours are constructed. They share
  // one @opentelemetry/instrumentation, whose require-in-the-middle hook is
  // installed when the first instrumentation enables: had ours enabled first,
  // modules that loading auto-instrumentations-node requires (`http`, through its
  // dependencies) would pass that hook before instrumentation-http had registered
  // for them, and stay unpatched for good (no HTTP spans at all; seen with
  // @opentelemetry/instrumentation 0.300.0 and auto-instrumentations-node 0.82.0).
  const upstream = config.autoInstrumentations ? loadAutoInstrumentations(enabledPlugins(config.instrumentations)) : [];
  const instrumentations: Instrumentation[] = [...getMessagingInstrumentations(config.instrumentations), ...upstream];
  const sdk = new NodeSDK({ instrumentations });
  // After the constructor: it installs the OTEL_LOG_LEVEL logger these warnings go to.
  for (const warning of config.warnings) diag.warn(`otel-mq: ${warning}`);
  sdk.start();

  let shutdownPromise: Promise<void> | undefined;
  const shutdown = () => (shutdownPromise ??= sdk.shutdown());
  installShutdownHooks(shutdown);
  const instrumentationNames = instrumentations.map((instrumentation) => instrumentation.instrumentationName);
  diag.debug(`otel-mq: started with ${instrumentationNames.join(', ') || 'no instrumentations'}`);
  return { shutdown, instrumentationNames };
}
