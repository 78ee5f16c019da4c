// DeleteMessage(Batch) and ChangeMessageVisibility(Batch): CLIENT settle spans,
// children of the active context, so of the process span when called inside it;
// a call made after the process span ended (sqs-consumer deletes once the handler
// returned) is parented on the process span its receipt handle belongs to.
import { MessagingOperations } from '@org/messaging-propagation';
import type { MessagingOperation } from '@org/messaging-propagation';
import type { BatchOutput, SettleInput } from '../internal-types';
import { takeSettleParent } from '../settle-parents';
import { isObject, recordBatchFailures, startOperationSpan, stringOrUndefined } from '../telemetry';
import type { CommandHandler, HandledCall, SqsCall } from './types';

function settleHandler(operation: MessagingOperation, batch: boolean): CommandHandler {
  return (call: SqsCall): HandledCall | undefined => {
    const input = call.input as SettleInput;
    if (!isObject(input) || (batch && !Array.isArray(input.Entries))) return undefined;
    const { deps } = call;
    const total = batch ? (input.Entries?.length ?? 0) : 1;
    const receipts = batch ? (input.Entries ?? []).map((entry) => entry?.ReceiptHandle) : [input.ReceiptHandle];
    const parent = takeSettleParent(receipts) ?? call.parent;
    const started = startOperationSpan(deps, {
      operation,
      queueUrl: stringOrUndefined(input.QueueUrl),
      parent,
      batchMessageCount: batch ? total : undefined,
      facts: { region: call.region() },
    });
    return {
      input,
      context: started.context,
      finish(outcome, output) {
        const result = output as BatchOutput | undefined;
        const batchFailure =
          batch && !outcome.failed ? recordBatchFailures(started.span, result?.Failed, total) : undefined;
        started.answered({
          outcome,
          batchFailure,
          requestId: stringOrUndefined(result?.$metadata?.requestId),
          region: call.region(),
        });
        return output;
      },
    };
  };
}

export const handleDeleteMessage = settleHandler(MessagingOperations.sqs.delete, false);
export const handleDeleteMessageBatch = settleHandler(MessagingOperations.sqs.delete, true);
export const handleChangeMessageVisibility = settleHandler(MessagingOperations.sqs.changeVisibility, false);
export const handleChangeMessageVisibilityBatch = settleHandler(MessagingOperations.sqs.changeVisibility, true);
