export { getMessagingInstrumentations, enabledPlugins } from './instrumentations';
export { readEnvConfig, pluginEnvName, ENV } from './env';
export type { EnvConfig } from './env';
export { startFromEnvironment } from './sdk';
export type { StartedTelemetry } from './sdk';
export { MESSAGING_PLUGIN_NAMES, PLUGIN_PACKAGES, UPSTREAM_COUNTERPARTS } from './plugins';
export type { MessagingPluginName } from './plugins';
export type { ConsumerContextMode, MessagingInstrumentationsConfig, MessagingPluginConfig } from './types';
