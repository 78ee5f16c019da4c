/** Instrumentation scope name and version, as reported on every span. */
export const PACKAGE_NAME = '@org/instrumentation-amqplib';
export const PACKAGE_VERSION = '0.1.0';

/** amqplib versions this plugin patches. */
export const SUPPORTED_VERSIONS = ['>=0.10.0 <3'];
