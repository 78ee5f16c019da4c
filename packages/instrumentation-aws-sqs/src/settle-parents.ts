// The process span a later settle call belongs to, by receipt handle. Libraries
// such as sqs-consumer delete a message after its handler returned, outside the
// process span's context: their DeleteMessage(Batch) and ChangeMessageVisibility
// calls find the span they settle here, so they are parented inside it. Bounded:
// the oldest entries go first, and a settle call takes its entry out.
import type { Context } from '@opentelemetry/api';

/** More messages in flight than this at once: the oldest lose their settle parent, never memory. */
export const MAX_REMEMBERED_RECEIPTS = 4096;

const byReceipt = new Map<string, Context>();

export function rememberSettleParent(receiptHandle: unknown, processContext: Context): void {
  if (typeof receiptHandle !== 'string' || receiptHandle === '') return;
  byReceipt.delete(receiptHandle);
  byReceipt.set(receiptHandle, processContext);
  if (byReceipt.size > MAX_REMEMBERED_RECEIPTS) {
    const oldest = byReceipt.keys().next().value;
    if (oldest !== undefined) byReceipt.delete(oldest);
  }
}

/** The process context remembered for the first of these receipt handles that has one; each found entry is forgotten. */
export function takeSettleParent(receiptHandles: readonly unknown[]): Context | undefined {
  let found: Context | undefined;
  for (const handle of receiptHandles) {
    if (typeof handle !== 'string') continue;
    const parent = byReceipt.get(handle);
    if (parent === undefined) continue;
    byReceipt.delete(handle);
    found ??= parent;
  }
  return found;
}

/** For tests. */
export function rememberedReceiptCount(): number {
  return byReceipt.size;
}
