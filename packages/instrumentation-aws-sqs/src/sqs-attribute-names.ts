// SQS's own names for the message system attributes the plugin reads (SQS API
// names, not telemetry attribute names).
import { AWS_TRACE_HEADER_ATTRIBUTE } from '@org/messaging-propagation';

/** How many times the message was received. */
export const APPROXIMATE_RECEIVE_COUNT = 'ApproximateReceiveCount';
/** When the message was sent, ms since the epoch. */
export const SENT_TIMESTAMP = 'SentTimestamp';

/** System attributes a process span reads: the X-Ray context, the receive count, the send time. */
export const WANTED_SYSTEM_ATTRIBUTES: readonly string[] = [
  AWS_TRACE_HEADER_ATTRIBUTE,
  APPROXIMATE_RECEIVE_COUNT,
  SENT_TIMESTAMP,
];
