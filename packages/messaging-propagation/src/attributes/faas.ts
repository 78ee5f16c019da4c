import type { Attributes } from '@opentelemetry/api';
import {
  ATTR_CLOUD_PROVIDER,
  ATTR_CLOUD_REGION,
  ATTR_CLOUD_RESOURCE_ID,
  ATTR_FAAS_COLDSTART,
  ATTR_FAAS_INVOCATION_ID,
  ATTR_FAAS_NAME,
  ATTR_FAAS_TRIGGER,
  ATTR_FAAS_VERSION,
  CLOUD_PROVIDER_VALUE_AWS,
  FAAS_TRIGGER_VALUE_PUBSUB,
} from '../semconv';
import { withLegacyNames } from '../semconv-stability';

/** What a Lambda handler knows about its invocation (from the Lambda `context` and environment). */
export interface LambdaInvocationFacts {
  /** `context.awsRequestId` */
  invocationId?: string | undefined;
  /** `context.functionName` */
  functionName?: string | undefined;
  /** `context.functionVersion` */
  functionVersion?: string | undefined;
  /** `context.invokedFunctionArn` */
  functionArn?: string | undefined;
  region?: string | undefined;
  coldStart?: boolean | undefined;
}

/** `faas.*` and `cloud.*` attributes of a Lambda invocation triggered by a message queue. */
export function lambdaInvocationAttributes(facts: LambdaInvocationFacts): Attributes {
  const attributes: Attributes = {
    [ATTR_FAAS_TRIGGER]: FAAS_TRIGGER_VALUE_PUBSUB,
    [ATTR_CLOUD_PROVIDER]: CLOUD_PROVIDER_VALUE_AWS,
  };
  if (facts.invocationId) attributes[ATTR_FAAS_INVOCATION_ID] = facts.invocationId;
  if (facts.functionName) attributes[ATTR_FAAS_NAME] = facts.functionName;
  if (facts.functionVersion) attributes[ATTR_FAAS_VERSION] = facts.functionVersion;
  if (facts.functionArn) attributes[ATTR_CLOUD_RESOURCE_ID] = facts.functionArn;
  if (facts.region) attributes[ATTR_CLOUD_REGION] = facts.region;
  if (facts.coldStart !== undefined) attributes[ATTR_FAAS_COLDSTART] = facts.coldStart;
  return withLegacyNames(attributes);
}
