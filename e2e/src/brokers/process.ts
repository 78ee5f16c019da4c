// Shared helpers for the e2e broker lifecycle modules: spawn a child with a
// captured log tail, wait for a TCP port, pick a free port, stop a process
// group with a timeout.
import { spawn } from 'node:child_process';
import type { ChildProcess, StdioOptions } from 'node:child_process';
import { createServer, connect } from 'node:net';

export interface Spawned {
  readonly name: string;
  readonly child: ChildProcess;
  readonly pid: number;
  /** Resolves when the child exits (never rejects). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  hasExited(): boolean;
  /** Last lines of combined stdout/stderr. */
  logTail(lines?: number): string;
  /** Resolves with the first stdout/stderr line matching `re` (rejects on exit/timeout). */
  waitForLine(re: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
}

export interface SpawnOptions {
  name: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** 'pipe' keeps the child's stdin open; children that exit on stdin EOF die with us. */
  stdin?: 'pipe' | 'ignore';
  /** Wrap in a /bin/sh watchdog that SIGTERMs the child when our end of its stdin closes
   *  (i.e. when this process dies, even by SIGKILL). For programs that ignore stdin. */
  dieWithParent?: boolean;
  maxLogChars?: number;
}

// Process groups still running; killed synchronously if this process exits
// without stopping them (test failure, uncaught exception, process.exit()).
const liveGroups = new Set<number>();
let exitHookInstalled = false;
function trackGroup(pid: number): void {
  liveGroups.add(pid);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const pgid of liveGroups) {
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  });
}

// $1.. = command; forwards SIGTERM/SIGINT to it, SIGTERMs it on stdin EOF, exits with its status.
const WATCHDOG = [
  "trap 'kill -TERM $pid 2>/dev/null' TERM INT HUP",
  'exec 3<&0', // async lists get /dev/null as stdin, so hand ours over on fd 3
  '"$@" </dev/null 3<&- & pid=$!',
  '{ cat <&3 >/dev/null; kill -TERM $$ 2>/dev/null; } &',
  'rc=0; while kill -0 $pid 2>/dev/null; do wait $pid; rc=$?; done',
  'exit $rc',
].join('\n');

/** Spawns `cmd` in its own process group, capturing a bounded log tail. */
export function spawnLogged(cmd: string, args: string[], opts: SpawnOptions): Spawned {
  const max = opts.maxLogChars ?? 64_000;
  if (opts.dieWithParent) {
    args = ['-c', WATCHDOG, 'watchdog', cmd, ...args];
    cmd = '/bin/sh';
  }
  const stdio: StdioOptions = [opts.dieWithParent ? 'pipe' : (opts.stdin ?? 'ignore'), 'pipe', 'pipe'];
  const child = spawn(cmd, args, { env: opts.env ?? process.env, cwd: opts.cwd, stdio, detached: true });
  let log = '';
  let done = false;
  const lineWaiters: Array<(text: string) => void> = [];
  const onData = (chunk: Buffer): void => {
    log += chunk.toString('utf8');
    if (log.length > max) log = log.slice(log.length - max);
    for (const w of lineWaiters.slice()) w(log);
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('error', (err) => {
      log += `\n[spawn error] ${err.message}\n`;
      done = true;
      resolve({ code: null, signal: null });
    });
    child.once('exit', (code, signal) => {
      done = true;
      if (child.pid) liveGroups.delete(child.pid);
      resolve({ code, signal });
    });
  });
  if (child.pid) trackGroup(child.pid);
  // Writing to a dead child's stdin must not crash us with EPIPE.
  child.stdin?.on('error', () => {});
  const logTail = (lines = 40): string => log.split('\n').slice(-lines).join('\n');
  const waitForLine = (re: RegExp, timeoutMs: number): Promise<RegExpMatchArray> =>
    new Promise((resolve, reject) => {
      const check = (text: string): boolean => {
        const m = text.match(re);
        if (!m) return false;
        cleanup();
        resolve(m);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`${opts.name}: no output matching ${re} after ${timeoutMs} ms. Log tail:\n${logTail()}`));
      }, timeoutMs);
      const onExit = ({ code, signal }: { code: number | null; signal: NodeJS.Signals | null }): void => {
        if (check(log)) return;
        cleanup();
        reject(
          new Error(
            `${opts.name} exited (code ${code}, signal ${signal}) before it was ready. Log tail:\n${logTail()}`,
          ),
        );
      };
      const waiter = (text: string): void => void check(text);
      const cleanup = (): void => {
        clearTimeout(timer);
        const i = lineWaiters.indexOf(waiter);
        if (i >= 0) lineWaiters.splice(i, 1);
      };
      lineWaiters.push(waiter);
      if (!check(log)) void exited.then(onExit);
    });
  return { name: opts.name, child, pid: child.pid ?? -1, exited, hasExited: () => done, logTail, waitForLine };
}

/** Asks the OS for a free TCP port on `host`. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function tryConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ host, port });
    const finish = (ok: boolean): void => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(1000, () => finish(false));
    sock.once('connect', () => finish(true));
    sock.once('error', () => finish(false));
  });
}

/** Polls until `probe` returns true; fails early if `proc` exits. */
export async function waitUntil(
  what: string,
  probe: () => Promise<boolean>,
  opts: { timeoutMs: number; intervalMs?: number; proc?: Spawned },
): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    if (opts.proc?.hasExited()) {
      throw new Error(`${opts.proc.name} exited while waiting for ${what}. Log tail:\n${opts.proc.logTail()}`);
    }
    if (await probe()) return;
    if (Date.now() > deadline) {
      const tail = opts.proc ? ` Log tail:\n${opts.proc.logTail()}` : '';
      throw new Error(`timed out after ${opts.timeoutMs} ms waiting for ${what}.${tail}`);
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 100));
  }
}

export function waitForPort(host: string, port: number, opts: { timeoutMs: number; proc?: Spawned }): Promise<void> {
  return waitUntil(`${host}:${port} to accept TCP connections`, () => tryConnect(host, port), opts);
}

/** SIGTERM the child's process group, SIGKILL it after `timeoutMs`, resolve once the child has exited. */
export async function stopGroup(proc: Spawned, timeoutMs = 10_000, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  const kill = (sig: NodeJS.Signals): void => {
    try {
      process.kill(-proc.pid, sig);
    } catch {
      /* group already gone */
    }
  };
  if (!proc.hasExited()) {
    kill(signal);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((r) => (timer = setTimeout(() => r(true), timeoutMs)));
    const late = await Promise.race([proc.exited.then(() => false), timedOut]);
    clearTimeout(timer);
    if (late) {
      kill('SIGKILL');
      await proc.exited;
    }
  }
  // Reap grandchildren left in the group (the leader may exit first).
  kill('SIGKILL');
  liveGroups.delete(proc.pid);
}
