/** Instrumentation scope name and version, as reported on every span. */
export const PACKAGE_NAME = '@org/instrumentation-aws-sqs';
// Read from the manifest the package ships with (from src/ under ts-jest and from dist/ once built, `..` is the
// package root), so the reported version follows every changesets bump without a build step to forget.
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const PACKAGE_VERSION: string = (require('../package.json') as { version: string }).version;

/** `@aws-sdk/client-sqs` versions this plugin patches. */
export const SUPPORTED_VERSIONS = ['>=3.0.0 <4'];

/** `@aws-sdk/client-sns` versions this plugin patches (Publish and PublishBatch). */
export const SNS_SUPPORTED_VERSIONS = ['>=3.0.0 <4'];

/** `sqs-consumer` versions whose `Consumer` handlers are run in process spans (tested: 14.2.8, 15.0.3). */
export const SQS_CONSUMER_SUPPORTED_VERSIONS = ['>=14.0.0 <16'];

/** `@aws-lambda-powertools/batch` versions whose SQS record handlers run in process spans (tested: 2.35.0). */
export const POWERTOOLS_BATCH_SUPPORTED_VERSIONS = ['>=2.0.0 <3'];
