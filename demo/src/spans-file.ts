// The received spans as a JSON file (nanosecond times as decimal strings), so a
// run's traces can be drawn again without brokers: `--spans <file>` writes one,
// and the page test draws a saved one.
import { readFileSync, writeFileSync } from 'node:fs';
import type { ReceivedSpan } from '../../e2e/src/otlp/receiver.ts';

const NANOS = new Set(['startTimeUnixNano', 'endTimeUnixNano', 'timeUnixNano']);

export function writeSpansFile(file: string, spans: readonly ReceivedSpan[]): void {
  const json = JSON.stringify(spans, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
  writeFileSync(file, `${json}\n`);
}

export function readSpansFile(file: string): ReceivedSpan[] {
  return JSON.parse(readFileSync(file, 'utf8'), (key, value: unknown) =>
    NANOS.has(key) && typeof value === 'string' ? BigInt(value) : value,
  ) as ReceivedSpan[];
}
