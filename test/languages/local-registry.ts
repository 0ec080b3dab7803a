/**
 * A local npm registry (Verdaccio, fetched by npx at a pinned version) for the user's-view check: the packed library is
 * published to it as a release publishes to npm, and the scratch app installs it from there; every other package is
 * proxied from the registry npm is configured with. It listens on the loopback only, keeps its storage in a scratch
 * folder, and is stopped by `stop()`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { run } from './support';

const VERDACCIO = 'verdaccio@6.8.0';
const READY_TIMEOUT_MS = 180_000;

export interface LocalRegistry {
  /** e.g. `http://127.0.0.1:40123/` */
  readonly url: string;
  /** An npm user config with this registry and a publishing token: pass as `--userconfig`. */
  readonly userconfig: string;
  /** Where it keeps what is published: `<storage>/<name>/<name>-<version>.tgz`. */
  readonly storage: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilReady(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Verdaccio exited (${child.exitCode}) before it answered:\n${output()}`);
    try {
      if ((await fetch(`${url}-/ping`)).ok) return;
    } catch { /* not listening yet */ }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`Verdaccio did not answer ${url}-/ping within ${READY_TIMEOUT_MS / 1000} s:\n${output()}`);
}

/** Starts the registry in `work`, with `publishable` served only from it and everything else proxied. */
export async function startLocalRegistry(work: string, publishable: string, env: NodeJS.ProcessEnv): Promise<LocalRegistry> {
  const upstream = (await run('npm', ['config', 'get', 'registry'], { env })).trim();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  fs.mkdirSync(work, { recursive: true });
  const config = path.join(work, 'config.yaml');
  const storage = path.join(work, 'storage');
  fs.writeFileSync(config, [
    `storage: ${JSON.stringify(storage)}`,
    `auth: { htpasswd: { file: ${JSON.stringify(path.join(work, 'htpasswd'))}, max_users: 10 } }`,
    `uplinks: { upstream: { url: ${JSON.stringify(upstream)}, timeout: 120s } }`,
    'packages:',
    `  ${JSON.stringify(publishable)}: { access: $all, publish: $authenticated }`,
    '  "**": { access: $all, proxy: upstream }',
    'log: { type: stdout, format: pretty, level: warn }',
    '',
  ].join('\n'));
  let printed = '';
  const child = spawn('npx', ['--yes', VERDACCIO, '--config', config, '--listen', `127.0.0.1:${port}`], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  child.stdout!.on('data', (chunk) => { printed = (printed + chunk).slice(-8000); });
  child.stderr!.on('data', (chunk) => { printed = (printed + chunk).slice(-8000); });
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try { process.kill(-child.pid!, 'SIGTERM'); } catch { /* already gone */ }
    await exited;
  };
  try {
    await waitUntilReady(url, child, () => printed);
    // A user, as `npm adduser` makes one; its token publishes.
    const response = await fetch(`${url}-/user/org.couchdb.user:release`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'release', password: 'local-registry-only' }),
    });
    const { token } = await response.json() as { token?: string };
    if (!response.ok || !token) throw new Error(`Verdaccio refused to add a user (${response.status})`);
    const userconfig = path.join(work, 'npmrc');
    fs.writeFileSync(userconfig, `registry=${url}\n//127.0.0.1:${port}/:_authToken=${token}\n`);
    return { url, userconfig, storage, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
