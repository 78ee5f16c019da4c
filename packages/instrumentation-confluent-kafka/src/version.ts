/** Instrumentation scope name and version, as reported on every span. */
export const PACKAGE_NAME = '@org/instrumentation-confluent-kafka';
// Read from the manifest the package ships with (from src/ under ts-jest and from dist/ once built, `..` is the
// package root), so the reported version follows every changesets bump without a build step to forget.
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const PACKAGE_VERSION: string = (require('../package.json') as { version: string }).version;

/** `@confluentinc/kafka-javascript` versions this plugin patches. */
export const SUPPORTED_VERSIONS = ['>=1.0.0 <2'];
