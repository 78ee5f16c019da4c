// Debian's headless Chromium (`apt-get install chromium`, done by
// scripts/install-broker-deps.sh), driven over the DevTools protocol on a pipe
// (`--remote-debugging-pipe`: JSON messages ending in NUL, we write fd 3, it
// writes fd 4), with no browser library and no browser download. Opens one
// local page at a given window width, evaluates expressions in it, takes
// full-page screenshots.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';

const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/** The browser binary: CHROMIUM_BIN, else Debian's package. */
export function chromiumPath(): string {
  const path = process.env['CHROMIUM_BIN'] ?? DEBIAN_CHROMIUM;
  if (!existsSync(path))
    throw new Error(`no Chromium at ${path}: install Debian's package with 'bash scripts/install-broker-deps.sh'`);
  return path;
}

export interface BrowserPage {
  /** Evaluates a script in the page; resolves with its (JSON-serialisable) completion value. */
  evaluate<T>(expression: string): Promise<T>;
  /** Writes a PNG of the whole page, at the window's width. */
  screenshot(file: string): Promise<void>;
  close(): Promise<void>;
}

interface Pending {
  resolve(result: Record<string, unknown>): void;
  reject(error: Error): void;
}

class DevToolsPipe {
  private nextId = 1;
  private buffered = '';
  private readonly pending = new Map<number, Pending>();
  private readonly waiters: Array<{ method: string; sessionId?: string; resolve(): void }> = [];
  private readonly input: Writable;
  private readonly timeoutMs: number;
  constructor(input: Writable, output: Readable, timeoutMs: number) {
    this.input = input;
    this.timeoutMs = timeoutMs;
    output.setEncoding('utf8');
    output.on('data', (chunk: string) => {
      this.buffered += chunk;
      let end: number;
      while ((end = this.buffered.indexOf('\0')) >= 0) {
        const message = this.buffered.slice(0, end);
        this.buffered = this.buffered.slice(end + 1);
        this.dispatch(JSON.parse(message) as Record<string, unknown>);
      }
    });
  }

  private dispatch(message: Record<string, unknown>): void {
    const id = message['id'];
    if (typeof id === 'number') {
      const pending = this.pending.get(id);
      this.pending.delete(id);
      const error = message['error'] as { message?: string } | undefined;
      if (error) pending?.reject(new Error(`DevTools: ${error.message ?? JSON.stringify(error)}`));
      else pending?.resolve((message['result'] ?? {}) as Record<string, unknown>);
      return;
    }
    const index = this.waiters.findIndex(
      (waiter) => waiter.method === message['method'] && waiter.sessionId === message['sessionId'],
    );
    if (index >= 0) this.waiters.splice(index, 1)[0]?.resolve();
  }

  send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    return this.timed(
      method,
      new Promise((resolve, reject) => {
        this.pending.set(id, { resolve, reject });
        this.input.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
      }),
    );
  }

  /** Resolves at the next event named `method` (register before causing it). */
  next(method: string, sessionId?: string): Promise<void> {
    return this.timed(method, new Promise((resolve) => this.waiters.push({ method, sessionId, resolve })));
  }

  failAll(error: Error): void {
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }

  private timed<T>(what: string, promise: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () => reject(new Error(`DevTools: no answer to ${what} in ${this.timeoutMs} ms`)),
        this.timeoutMs,
      );
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(kill);
}

/** Opens `file` in a fresh headless Chromium whose window is `width` px wide. */
export async function openPage(
  file: string,
  { width = 1400, height = 900, timeoutMs = 30_000 }: { width?: number; height?: number; timeoutMs?: number } = {},
): Promise<BrowserPage> {
  const profile = mkdtempSync(join(tmpdir(), 'otel-mq-chromium-'));
  const child = spawn(
    chromiumPath(),
    [
      '--headless',
      // The tests run as root, where Chromium's sandbox cannot start; the page is our own local file.
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--no-first-run',
      '--no-default-browser-check',
      '--hide-scrollbars',
      '--mute-audio',
      '--remote-debugging-pipe',
      `--user-data-dir=${profile}`,
      `--window-size=${width},${height}`,
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
  const pipe = new DevToolsPipe(child.stdio[3] as Writable, child.stdio[4] as Readable, timeoutMs);
  child.once('exit', (code, signal) => pipe.failAll(new Error(`chromium exited (${signal ?? code}):\n${stderr}`)));
  const close = async () => {
    await pipe.send('Browser.close').catch(() => child.kill('SIGTERM'));
    await stop(child);
    rmSync(profile, { recursive: true, force: true });
  };
  try {
    const { targetId } = await pipe.send('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = (await pipe.send('Target.attachToTarget', { targetId, flatten: true })) as {
      sessionId: string;
    };
    const page = (method: string, params?: Record<string, unknown>) => pipe.send(method, params, sessionId);
    await page('Page.enable');
    await page('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: false });
    const loaded = pipe.next('Page.loadEventFired', sessionId);
    await page('Page.navigate', { url: pathToFileURL(file).href });
    await loaded;
    return {
      async evaluate<T>(expression: string): Promise<T> {
        const { result, exceptionDetails } = (await page('Runtime.evaluate', {
          expression,
          returnByValue: true,
          awaitPromise: true,
        })) as { result?: { value?: unknown }; exceptionDetails?: { exception?: { description?: string } } };
        if (exceptionDetails) throw new Error(`in the page: ${exceptionDetails.exception?.description ?? 'error'}`);
        return result?.value as T;
      },
      async screenshot(out: string): Promise<void> {
        const { cssContentSize } = (await page('Page.getLayoutMetrics')) as {
          cssContentSize: { width: number; height: number };
        };
        const { data } = (await page('Page.captureScreenshot', {
          format: 'png',
          captureBeyondViewport: true,
          clip: { x: 0, y: 0, width: Math.max(width, cssContentSize.width), height: cssContentSize.height, scale: 1 },
        })) as { data: string };
        writeFileSync(out, Buffer.from(data, 'base64'));
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
