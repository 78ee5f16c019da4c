// SQS emulators for the e2e suite, each in its own Node child process bound
// to 127.0.0.1: npm `fauxqs` and npm `local-aws-sqs`. Run the SQS tests
// against both: they differ in ways that hide different bugs.
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { spawnLogged, stopGroup } from './process.ts';

export type SqsEmulatorKind = 'fauxqs' | 'local-aws-sqs';

export interface RunningSqs {
  kind: SqsEmulatorKind;
  /** http://127.0.0.1:PORT, pass as the SQSClient `endpoint` */
  endpoint: string;
  region: string;
  stop(): Promise<void>;
}

const RUNNER = join(import.meta.dirname, 'sqs-runner.mjs');
const REGION = 'us-east-1';

/** Fake credentials for SQSClient; the emulators accept any. */
export const SQS_TEST_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' } as const;

/**
 * Finds an installed package's entry file, searching node_modules folders from
 * `fromDir` upwards, then NODE_PATH. Works for ESM-only packages whose
 * "exports" has no "require" condition (so require.resolve cannot see them).
 */
export function resolvePackageEntry(name: string, fromDir: string): string | undefined {
  const dirs: string[] = [];
  for (let d = fromDir; ; d = dirname(d)) {
    dirs.push(join(d, 'node_modules'));
    if (dirname(d) === d) break;
  }
  dirs.push(...(process.env.NODE_PATH ?? '').split(delimiter).filter(Boolean));
  for (const base of dirs) {
    const pkgFile = join(base, name, 'package.json');
    if (!existsSync(pkgFile)) continue;
    const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { main?: string; exports?: unknown };
    let entry: unknown = pkg.exports;
    if (entry && typeof entry === 'object' && '.' in entry) entry = (entry as Record<string, unknown>)['.'];
    for (const cond of ['import', 'node', 'default', 'require']) {
      if (!entry || typeof entry !== 'object') break;
      const next = (entry as Record<string, unknown>)[cond];
      if (next !== undefined) entry = next;
    }
    const rel = typeof entry === 'string' ? entry : (pkg.main ?? 'index.js');
    return join(base, name, rel);
  }
  return undefined;
}

async function startEmulator(kind: SqsEmulatorKind, timeoutMs: number): Promise<RunningSqs> {
  const entry = resolvePackageEntry(kind, import.meta.dirname);
  if (!entry) {
    throw new Error(
      `npm package '${kind}' not found from ${import.meta.dirname}: add it to the e2e devDependencies and run pnpm install`,
    );
  }
  const major = Number(process.versions.node.split('.')[0]);
  if (kind === 'fauxqs' && major < 22) {
    throw new Error(`fauxqs 2.x needs Node >= 22.5 (node:sqlite); this is Node ${process.versions.node}`);
  }
  // stdin stays a pipe: the runner exits when it closes, i.e. when this process dies.
  const proc = spawnLogged(process.execPath, ['--no-warnings', RUNNER, kind, entry, REGION], {
    name: kind,
    stdin: 'pipe',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  try {
    const m = await proc.waitForLine(/^LISTENING (\d+)$/m, timeoutMs);
    let stopped: Promise<void> | undefined;
    return {
      kind,
      endpoint: `http://127.0.0.1:${m[1]}`,
      region: REGION,
      stop: () => (stopped ??= stopGroup(proc, 5_000)),
    };
  } catch (err) {
    await stopGroup(proc, 2_000);
    throw err;
  }
}

export function startFauxqs(opts: { timeoutMs?: number } = {}): Promise<RunningSqs> {
  return startEmulator('fauxqs', opts.timeoutMs ?? 20_000);
}

export function startLocalAwsSqs(opts: { timeoutMs?: number } = {}): Promise<RunningSqs> {
  return startEmulator('local-aws-sqs', opts.timeoutMs ?? 20_000);
}

export function startSqs(kind: SqsEmulatorKind, opts: { timeoutMs?: number } = {}): Promise<RunningSqs> {
  return startEmulator(kind, opts.timeoutMs ?? 20_000);
}
