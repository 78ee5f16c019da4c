import { diag } from '@opentelemetry/api';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { MESSAGING_PLUGIN_NAMES, PLUGIN_FACTORIES } from './plugins';
import type { MessagingPluginName } from './plugins';
import type { MessagingInstrumentationsConfig } from './types';

/** The plugins that are both available and enabled by `config`. */
export function enabledPlugins(config: MessagingInstrumentationsConfig = {}): MessagingPluginName[] {
  return MESSAGING_PLUGIN_NAMES.filter(
    (name) => config[name]?.enabled !== false && PLUGIN_FACTORIES[name] !== undefined,
  );
}

/**
 * The otel-mq instrumentations, for a NodeSDK's `instrumentations` list:
 *
 * ```ts
 * new NodeSDK({ instrumentations: [getMessagingInstrumentations({ kafkajs: { consumerContextPolicy: 'link' } })] });
 * ```
 *
 * A plugin that fails to construct is logged and left out; the others still load.
 */
export function getMessagingInstrumentations(config: MessagingInstrumentationsConfig = {}): Instrumentation[] {
  const instrumentations: Instrumentation[] = [];
  for (const name of enabledPlugins(config)) {
    try {
      const factory = PLUGIN_FACTORIES[name];
      const { enabled: _enabled, ...options } = config[name] ?? {};
      if (factory) instrumentations.push(factory(options));
    } catch (error) {
      diag.error(`otel-mq: could not create the ${name} instrumentation; it stays off`, error);
    }
  }
  return instrumentations;
}
