/**
 * Bookkeeping of the processes the local cloud starts (moto, sandboxed functions), so that none outlives
 * the Node.js process that started it: each is started in its own process group and killed as a group,
 * on purpose by its owner, or at the latest when this process exits.
 */
import type { ChildProcess } from 'node:child_process';

const live = new Set<ChildProcess>();

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal); // the whole group: the child was spawned `detached`
  } catch {
    try { child.kill(signal); } catch { /* already gone */ }
  }
}

/** Registers a child spawned with `detached: true`; it is forgotten once it exits. */
export function trackChild(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
}

/** Kills the child's process group with `signal`, and with SIGKILL if it has not exited after `graceMs`. */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', graceMs = 2000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  killGroup(child, signal);
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
  try {
    await exited;
  } finally {
    clearTimeout(timer);
  }
}

/** Stops every live child (SIGTERM, then SIGKILL after `graceMs`) and waits until each has exited. */
export async function stopAllChildren(graceMs = 1000): Promise<void> {
  await Promise.all([...live].map((child) => stopChild(child, 'SIGTERM', graceMs)));
}

/** Kills every live child's process group at once (synchronous: usable in an `exit` handler). */
export function killAllChildren(): void {
  for (const child of live) killGroup(child, 'SIGKILL');
}

process.once('exit', killAllChildren);
