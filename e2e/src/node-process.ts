// The one way e2e runs a Node program to completion: fixtures, examples and the
// soak app are all `node <flags> <file>` processes whose output a failure shows.
import { spawn } from 'node:child_process';

export interface NodeRunOptions {
  /** Arguments after `node`: flags, the program, its arguments. */
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** Called once the process is running; gets its pid and its output so far. */
  onStarted?: (pid: number, output: { stdout: () => string }) => void;
  /** Keep only the last this many characters of stderr (a soak writes a lot). */
  maxStderrChars?: number;
}

export interface NodeRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The `RESULT {json}` line the program printed, parsed, if any. */
  result: unknown;
}

export class NodeRunError extends Error {}

/** Runs `node ...args` and resolves when it exits; killed and rejected (with its output) on timeout. */
export function runNode(options: NodeRunOptions): Promise<NodeRun> {
  const { args, timeoutMs, maxStderrChars = Infinity } = options;
  const child = spawn(process.execPath, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    if (stderr.length > maxStderrChars) stderr = stderr.slice(-maxStderrChars);
  });
  const command = `node ${args.join(' ')}`;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new NodeRunError(`${command} did not exit within ${timeoutMs} ms${outputTail(stdout, stderr)}`));
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new NodeRunError(`${command} could not start: ${error.message}`));
    });
    child.once('spawn', () => options.onStarted?.(child.pid as number, { stdout: () => stdout }));
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, result: resultLine(stdout) });
    });
  });
}

/** The last `chars` of a run's stdout and stderr, for a failure message. */
export function outputTail(stdout: string, stderr: string, chars = 4000): string {
  return `\n--- stdout ---\n${stdout.slice(-chars)}\n--- stderr ---\n${stderr.slice(-chars)}`;
}

function resultLine(stdout: string): unknown {
  const line = stdout.split('\n').find((text) => text.startsWith('RESULT '));
  if (!line) return undefined;
  try {
    return JSON.parse(line.slice('RESULT '.length));
  } catch {
    return undefined;
  }
}
