/**
 * A page opened in headless Chromium (Debian's `chromium` package), driven over the DevTools protocol with Node.js's own
 * WebSocket: evaluate an expression in the page, and take a screenshot. No browser library is needed.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

const CANDIDATES = ['chromium', 'chromium-browser', 'google-chrome'];

/** The browser's executable, or an error that says how to install it. */
export function chromiumPath(): string {
  for (const name of CANDIDATES) {
    const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();
    if (found !== '') return found;
  }
  throw new Error('headless Chromium is needed to check the profile page, and none is installed: apt-get install -y chromium (.ci/run does it)');
}

export interface OpenPage {
  evaluate<T>(expression: string): Promise<T>;
  /** A PNG of the page, `width` CSS pixels wide, from its top to at most `maxHeight` (default: the whole page). */
  screenshot(width: number, maxHeight?: number): Promise<Buffer>;
  close(): Promise<void>;
}

/** Opens `file` in a new headless Chromium, with a profile of its own in a temp dir, and waits for it to load. */
export async function openPage(file: string): Promise<OpenPage> {
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chromium-'));
  const browser: ChildProcess = spawn(chromiumPath(), [
    '--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--no-first-run', '--remote-debugging-port=0',
    `--user-data-dir=${profileDir}`, 'about:blank',
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  const close = async () => {
    browser.kill();
    await new Promise((resolve) => (browser.exitCode !== null ? resolve(undefined) : browser.once('exit', resolve)));
    fs.rmSync(profileDir, { recursive: true, force: true });
  };
  try {
    const browserUrl = await new Promise<string>((resolve, reject) => {
      let text = '';
      const timer = setTimeout(() => reject(new Error(`Chromium did not start its DevTools endpoint in 30 s: ${text.slice(-500)}`)), 30_000);
      browser.stderr!.on('data', (chunk) => {
        text += String(chunk);
        const match = /DevTools listening on (ws:\/\/\S+)/.exec(text);
        if (match) { clearTimeout(timer); resolve(match[1]); }
      });
      browser.once('exit', (code) => { clearTimeout(timer); reject(new Error(`Chromium exited (${code}): ${text.slice(-500)}`)); });
    });
    const port = new URL(browserUrl).port;
    const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json() as Array<{ type: string; webSocketDebuggerUrl: string }>;
    const socket = new WebSocket(targets.find((target) => target.type === 'page')!.webSocketDebuggerUrl);
    await new Promise((resolve, reject) => { socket.onopen = resolve; socket.onerror = reject; });
    let nextId = 0;
    const waiting = new Map<number, { resolve(value: any): void; reject(error: Error): void }>();
    const events = new Map<string, () => void>();
    socket.onmessage = (message) => {
      const data = JSON.parse(String(message.data));
      if (data.id !== undefined) {
        const call = waiting.get(data.id)!;
        waiting.delete(data.id);
        if (data.error) call.reject(new Error(`${data.error.message}`));
        else call.resolve(data.result);
      } else {events.get(data.method)?.();}
    };
    const send = (method: string, params: object = {}): Promise<any> => new Promise((resolve, reject) => {
      nextId += 1;
      waiting.set(nextId, { resolve, reject });
      socket.send(JSON.stringify({ id: nextId, method, params }));
    });
    await send('Page.enable');
    const loaded = new Promise<void>((resolve) => events.set('Page.loadEventFired', resolve));
    await send('Page.navigate', { url: pathToFileURL(file).href });
    await loaded;
    const evaluate = async <T>(expression: string): Promise<T> => {
      const result = await send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true });
      if (result.exceptionDetails) throw new Error(`the page threw: ${result.exceptionDetails.exception?.description ?? result.exceptionDetails.text}`);
      return result.result.value as T;
    };
    return {
      evaluate,
      async screenshot(width, maxHeight = Number.POSITIVE_INFINITY) {
        await send('Emulation.setDeviceMetricsOverride', { width, height: 800, deviceScaleFactor: 1, mobile: false });
        const height = Math.min(maxHeight, await evaluate<number>('document.documentElement.scrollHeight'));
        await send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: false });
        const shot = await send('Page.captureScreenshot', { format: 'png' });
        return Buffer.from(shot.data, 'base64');
      },
      async close() {
        socket.close();
        await close();
      },
    };
  } catch (e) {
    await close();
    throw e;
  }
}
