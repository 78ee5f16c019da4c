// Runs a fixture application the way users run theirs: a real Node process
// started with the otel-mq register entry (`--require` for CommonJS, `--import`
// for ESM), exporting over OTLP to the test's in-process receiver.
import { basename, join } from 'node:path';
import { NodeRunError, outputTail, runNode } from './node-process.ts';
import type { NodeRun } from './node-process.ts';
import type { OtlpReceiver } from './otlp/receiver.ts';

export const E2E_DIR = join(import.meta.dirname, '..');
export const FIXTURES_DIR = join(E2E_DIR, 'fixtures');

export type ModuleSystem = 'cjs' | 'esm';

export interface FixtureOptions {
  receiver: OtlpReceiver;
  args?: string[];
  env?: Record<string, string | undefined>;
  /** @default 60_000 */
  timeoutMs?: number;
  /** Called once the process is running, e.g. to signal it; gets the child's pid. */
  onStarted?: (pid: number, output: { stdout: () => string }) => void;
  /** `false`: start the fixture without the register entry (it sets telemetry up itself, or runs uninstrumented). @default true */
  register?: boolean;
}

export type FixtureResult = NodeRun;

/** `--require` / `--import` plus the register entry, as a user types it. */
export function registerFlags(system: ModuleSystem): string[] {
  return system === 'cjs' ? ['--require', '@org/otel-mq/register'] : ['--import', '@org/otel-mq/register'];
}

/**
 * Starts `node <register flags> fixtures/<file> ...args` and waits for it to exit.
 * Killed on timeout; either way a failure carries the fixture's own output.
 */
export function runFixture(file: string, system: ModuleSystem, options: FixtureOptions): Promise<FixtureResult> {
  const { receiver, args = [], env = {}, timeoutMs = 60_000 } = options;
  const flags = options.register === false ? [] : registerFlags(system);
  return runNode({
    args: [...flags, join(FIXTURES_DIR, file), ...args],
    cwd: E2E_DIR,
    timeoutMs,
    env: {
      ...process.env,
      OTEL_SERVICE_NAME: basename(file).replace(/\.[cm]?js$/, ''),
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
      ...env,
    },
    ...(options.onStarted ? { onStarted: options.onStarted } : {}),
  });
}

/** Like runFixture, but a non-zero exit is a test failure showing the fixture's output. */
export async function runFixtureOk(
  file: string,
  system: ModuleSystem,
  options: FixtureOptions,
): Promise<FixtureResult> {
  const run = await runFixture(file, system, options);
  if (run.code !== 0) {
    throw new NodeRunError(
      `fixture ${file} (${system}) exited with ${run.code ?? run.signal}${outputTail(run.stdout, run.stderr, Infinity)}`,
    );
  }
  return run;
}
