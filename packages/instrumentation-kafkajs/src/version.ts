/** Instrumentation scope name and version, as reported on every span. */
export const PACKAGE_NAME = '@org/instrumentation-kafkajs';
export const PACKAGE_VERSION = '0.1.0';

/** kafkajs versions this plugin patches. */
export const SUPPORTED_VERSIONS = ['>=2.0.0 <3'];
