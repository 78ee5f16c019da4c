/** Instrumentation scope name and version, as reported on every span. */
export const PACKAGE_NAME = '@org/instrumentation-aws-sqs';
export const PACKAGE_VERSION = '0.1.0';

/** `@aws-sdk/client-sqs` versions this plugin patches. */
export const SUPPORTED_VERSIONS = ['>=3.0.0 <4'];

/** `@aws-sdk/client-sns` versions this plugin patches (Publish and PublishBatch). */
export const SNS_SUPPORTED_VERSIONS = ['>=3.0.0 <4'];
