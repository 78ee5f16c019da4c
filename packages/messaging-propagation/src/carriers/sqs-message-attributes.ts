import { headerMapGetter, headerMapSetter, isRecord, ownKeys, readPropagationValue } from './header-value';

/** An SQS message attribute in the AWS SDK v3 shape. */
export interface SqsMessageAttributeValue {
  DataType?: string | undefined;
  StringValue?: string | undefined;
  BinaryValue?: Uint8Array | undefined;
  StringListValues?: string[] | undefined;
  BinaryListValues?: Uint8Array[] | undefined;
}
export type SqsMessageAttributes = Record<string, SqsMessageAttributeValue | undefined>;

/** An SQS message attribute in the shape of a Lambda SQS event record (`messageAttributes`). */
export interface LambdaSqsMessageAttributeValue {
  dataType?: string | undefined;
  stringValue?: string | undefined;
  /** base64 */
  binaryValue?: string | undefined;
}
export type LambdaSqsMessageAttributes = Record<string, LambdaSqsMessageAttributeValue | undefined>;

/** SQS refuses a message with more than 10 message attributes. */
export const SQS_MAX_MESSAGE_ATTRIBUTES = 10;

/** The String data type SQS uses for propagation fields. Custom types such as `String.traceparent` are accepted on read. */
const STRING_DATA_TYPE = 'String';

function isStringType(dataType: unknown): boolean {
  return typeof dataType === 'string' && (dataType === STRING_DATA_TYPE || dataType.startsWith(`${STRING_DATA_TYPE}.`));
}

/** Reads propagation fields from SQS `MessageAttributes` (SDK shape: `{ DataType, StringValue }`). */
export const sqsMessageAttributesGetter = headerMapGetter<SqsMessageAttributes | undefined>((attribute, key) => {
  if (!isRecord(attribute)) return undefined;
  if (isStringType(attribute['DataType'])) return readPropagationValue(attribute['StringValue'], key);
  if (attribute['DataType'] === 'Binary') return readPropagationValue(attribute['BinaryValue'], key);
  return undefined;
});

/** Writes propagation fields as String attributes. Use only on a copy, and mind the budget: see `injectSqsContext`. */
export const sqsMessageAttributesSetter = headerMapSetter<SqsMessageAttributes>((value) => ({
  DataType: STRING_DATA_TYPE,
  StringValue: value,
}));

/** Reads propagation fields from a Lambda SQS event record's `messageAttributes` (`{ dataType, stringValue }`). */
export const lambdaSqsMessageAttributesGetter = headerMapGetter<LambdaSqsMessageAttributes | undefined>(
  (attribute, key) => {
    if (!isRecord(attribute)) return undefined;
    if (isStringType(attribute['dataType'])) return readPropagationValue(attribute['stringValue'], key);
    if (attribute['dataType'] === 'Binary' && typeof attribute['binaryValue'] === 'string') {
      return readPropagationValue(Buffer.from(attribute['binaryValue'], 'base64'), key);
    }
    return undefined;
  },
);

/** How many more message attributes SQS will accept on a message that already has `attributes`. */
export function freeSqsAttributeSlots(attributes: unknown): number {
  return Math.max(0, SQS_MAX_MESSAGE_ATTRIBUTES - ownKeys(attributes).length);
}
