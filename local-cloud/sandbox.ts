/**
 * A Lambda-like filesystem for a child process, where Linux allows it without privileges (user and mount
 * namespaces, `unshare -rm`):
 *   - every writable mount (root included) is remounted read-only, except /proc and /dev themselves;
 *   - /tmp is a private tmpfs of the function's ephemeral storage size (writes past it fail ENOSPC);
 *   - /var is a small read-only tmpfs laid out as on Lambda, of read-only binds: the code at /var/task,
 *     the runtime bootstrap at /var/runtime, node at /var/lang/bin/node, and at /var/runtime/node_modules
 *     the modules the Lambda Node.js runtime provides, which are the AWS SDK v3 only (the staged directory
 *     of runtime-sdk.ts, never the project's node_modules). Module resolution from /var/task finds no
 *     project node_modules either, so a bundle that left faker or powertools external fails here as on
 *     Lambda. Everything is bound before /tmp is covered, so it works wherever the project is checked out
 *     (under /tmp or /var included).
 * Where that is not possible the process runs unsandboxed, and `reason` says why.
 */
import { spawn, spawnSync, type ChildProcess, type StdioOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { trackChild } from './child-processes';

export const SANDBOX_TASK_ROOT = '/var/task';
export const SANDBOX_RUNTIME_DIR = '/var/runtime';
const SANDBOX_SDK_DIR = '/var/runtime/node_modules';
const SANDBOX_NODE_BINARY = '/var/lang/bin/node';

export interface SandboxInfo {
  readonly enabled: boolean;
  /** Why the process is not sandboxed (when it is not). */
  readonly reason?: string;
  /** Size of the private /tmp (sandboxed), or of the ephemeral storage it stands for. */
  readonly tmpSizeMb: number;
}

export interface SandboxPlan extends SandboxInfo {
  /** Code directory as the process sees it (`/var/task` when sandboxed). */
  readonly taskRoot: string;
  /** Runtime directory as the process sees it (`/var/runtime` when sandboxed). */
  readonly runtimeDir: string;
  /** The node binary as the process sees it. */
  readonly nodeBinary: string;
  /** The SDK's node_modules as the process sees it (for NODE_PATH). */
  readonly sdkDir: string;
  /** Host paths. */
  readonly hostTaskDir: string;
  readonly hostRuntimeDir: string;
  readonly hostNodeBinary: string;
  readonly hostSdkDir: string;
}

export interface PlanSandboxOptions {
  /** Host directory of the function's code. */
  readonly taskDir: string;
  /** Host directory of the runtime bootstrap (its files are bound into /var/runtime). */
  readonly runtimeDir: string;
  /** Host node binary. */
  readonly nodeBinary: string;
  /** Host directory of the modules the Lambda runtime provides (the AWS SDK only: see runtime-sdk.ts). */
  readonly sdkDir: string;
  /** Size of the private /tmp. */
  readonly tmpSizeMb: number;
  /** false: never sandbox. Default: sandbox when supported. */
  readonly sandbox?: boolean;
}

interface Mount { readonly mountPoint: string; readonly options: readonly string[] }

function unescapeMountinfo(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

function hostMounts(): Mount[] {
  return fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter(Boolean).map((line) => {
    const fields = line.split(' ');
    return { mountPoint: unescapeMountinfo(fields[4]), options: fields[5].split(',') };
  });
}

const under = (p: string, dir: string) => p === dir || p.startsWith(dir.endsWith('/') ? dir : `${dir}/`);

/** Mounts to make read-only: all writable ones but /tmp, /var (both replaced), /proc and /dev themselves. */
function mountsToProtect(): Mount[] {
  const seen = new Map<string, Mount>();
  for (const mount of hostMounts()) {
    const p = mount.mountPoint;
    if (!mount.options.includes('rw')) continue;
    if (under(p, '/tmp') || under(p, '/var') || under(p, '/proc') || p === '/dev' || p === '/dev/pts') continue;
    seen.set(p, mount); // the last one listed is the top of a stack of mounts on one point
  }
  return [...seen.values()].sort((a, b) => a.mountPoint.length - b.mountPoint.length);
}

/** Flags a remount in a user namespace must keep (the kernel locks them). */
const KEPT_FLAGS = new Set(['nosuid', 'nodev', 'noexec', 'noatime', 'nodiratime', 'relatime', 'strictatime']);

const quote = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;

/** The shell script run as root of the new namespaces before `exec "$@"`. */
function setupScript(plan: SandboxPlan): string {
  // Read-only binds of host paths to where Lambda has them (a file is bound onto an empty file).
  const binds: [host: string, target: string, isFile: boolean][] = [
    [plan.hostTaskDir, SANDBOX_TASK_ROOT, false],
    [plan.hostSdkDir, SANDBOX_SDK_DIR, false],
    [plan.hostNodeBinary, SANDBOX_NODE_BINARY, true],
    ...fs.readdirSync(plan.hostRuntimeDir).map((file): [string, string, boolean] => (
      [path.join(plan.hostRuntimeDir, file), path.posix.join(SANDBOX_RUNTIME_DIR, file), true])),
  ];
  const lines = [
    'set -e',
    // /var first, so that whatever lies under the host's /tmp is bound before /tmp is covered
    'mount -t tmpfs -o size=1m,mode=755 tmpfs /var',
  ];
  for (const [host, target, isFile] of binds) {
    lines.push(
      isFile ? `mkdir -p ${quote(path.posix.dirname(target))} && touch ${quote(target)}` : `mkdir -p ${quote(target)}`,
      `mount --bind ${quote(host)} ${quote(target)}`,
      `mount -o remount,bind,ro ${quote(target)}`,
    );
  }
  lines.push('mount -o remount,ro /var', `mount -t tmpfs -o size=${plan.tmpSizeMb}m,mode=1777 tmpfs /tmp`);
  for (const mount of mountsToProtect()) {
    const flags = ['remount', 'bind', 'ro', ...mount.options.filter((o) => KEPT_FLAGS.has(o))].join(',');
    lines.push(`mount -o ${flags} ${quote(mount.mountPoint)}`);
  }
  lines.push(`cd ${SANDBOX_TASK_ROOT}`, 'unset OLDPWD PWD', 'exec "$@"');
  return lines.join('\n');
}

function unshareArgs(plan: SandboxPlan, command: string, args: readonly string[]): string[] {
  return ['-rm', 'sh', '-c', setupScript(plan), 'sandbox', command, ...args];
}

let probed: { ok: true } | { ok: false; reason: string } | undefined;

/** Whether `unshare -rm` with the mounts above works here (probed once per process). */
export function probeSandboxSupport(): { ok: true } | { ok: false; reason: string } {
  if (probed) return probed;
  if (process.platform !== 'linux') return (probed = { ok: false, reason: `user and mount namespaces are Linux-only (this is ${process.platform})` });
  const plan: SandboxPlan = {
    enabled: true,
    tmpSizeMb: 1,
    taskRoot: SANDBOX_TASK_ROOT,
    runtimeDir: SANDBOX_RUNTIME_DIR,
    nodeBinary: SANDBOX_NODE_BINARY,
    sdkDir: SANDBOX_SDK_DIR,
    hostTaskDir: __dirname,
    hostRuntimeDir: path.join(__dirname, 'runtime'),
    hostNodeBinary: process.execPath,
    hostSdkDir: __dirname,
  };
  // Read-only everywhere (access(2) reports EROFS), writable /tmp: nothing is written outside /tmp.
  const check = `[ -w /tmp ] && [ ! -w / ] && [ ! -w ${quote(__dirname)} ] && [ ! -w ${SANDBOX_TASK_ROOT} ] || { echo 'filesystem not as expected' >&2; exit 1; }`;
  const result = spawnSync('unshare', unshareArgs(plan, 'sh', ['-c', check]), { encoding: 'utf8', timeout: 10_000 });
  if (result.error) {
    return (probed = { ok: false, reason: `\`unshare\` could not be run (${(result.error as NodeJS.ErrnoException).code ?? result.error.message})` });
  }
  if (result.status !== 0) {
    const said = (result.stderr || '').trim().split('\n').slice(-2).join(' / ') || `exit ${result.status}`;
    return (probed = { ok: false, reason: `unprivileged user+mount namespaces are not usable here (unshare -rm: ${said})` });
  }
  return (probed = { ok: true });
}

/** Decides how the process will run, and where it will see its code and runtime. */
export function planSandbox(options: PlanSandboxOptions): SandboxPlan {
  const host = {
    hostTaskDir: path.resolve(options.taskDir),
    hostRuntimeDir: path.resolve(options.runtimeDir),
    hostNodeBinary: path.resolve(options.nodeBinary),
    hostSdkDir: path.resolve(options.sdkDir),
  };
  const unsandboxed = (reason: string): SandboxPlan => ({
    enabled: false,
    reason,
    tmpSizeMb: options.tmpSizeMb,
    ...host,
    taskRoot: host.hostTaskDir,
    runtimeDir: host.hostRuntimeDir,
    nodeBinary: host.hostNodeBinary,
    sdkDir: host.hostSdkDir,
  });
  if (options.sandbox === false) return unsandboxed('sandbox turned off by the caller');
  const support = probeSandboxSupport();
  if (!support.ok) return unsandboxed(support.reason);
  return {
    enabled: true,
    tmpSizeMb: options.tmpSizeMb,
    ...host,
    taskRoot: SANDBOX_TASK_ROOT,
    runtimeDir: SANDBOX_RUNTIME_DIR,
    nodeBinary: SANDBOX_NODE_BINARY,
    sdkDir: SANDBOX_SDK_DIR,
  };
}

/**
 * Spawns `command args` as planned (`plan.nodeBinary` is node as the process sees it), with exactly `env`, in its own process group (so that it can be
 * killed as a whole), working directory the task root.
 */
export function spawnSandboxed(
  plan: SandboxPlan, command: string, args: readonly string[], env: Record<string, string>, stdio: StdioOptions,
): ChildProcess {
  const child = plan.enabled
    ? spawn('unshare', unshareArgs(plan, command, args), { env, stdio, detached: true, cwd: '/' })
    : spawn(command, [...args], { env, stdio, detached: true, cwd: plan.hostTaskDir });
  trackChild(child);
  return child;
}
