/**
 * A Node.js binary of the Lambda runtime's major version, for running the handler as Lambda would: the
 * current one if it is that major, else one fetched once from the npm registry into `.local-cloud/`
 * (toolchain/node.js, which also gives the build toolchain its Node.js). When it cannot be fetched, the
 * current Node.js is used, and the caller is told why.
 */
import { fetchNode, reasonOf } from '../toolchain/node';

export interface NodeRuntime {
  /** Absolute path of the node binary. */
  readonly binary: string;
  /** e.g. `v24.11.0` */
  readonly version: string;
  /** `cache` (fetched earlier), `download` (fetched now), or `current` (the Node.js running this code). */
  readonly source: 'cache' | 'download' | 'current';
  /** Why the current Node.js is used instead of the runtime's major, when it is. */
  readonly fallbackReason?: string;
}

function current(fallbackReason?: string): NodeRuntime {
  return { binary: process.execPath, version: process.version, source: 'current', fallbackReason };
}

const inFlight = new Map<number, Promise<NodeRuntime>>();

/**
 * Node.js of the given major: the current one if it already is that major, else the cached download,
 * else a fresh download; falls back to the current Node.js (with `fallbackReason`) when that fails.
 */
export async function nodeRuntimeFor(major: number, options: { log?: (line: string) => void } = {}): Promise<NodeRuntime> {
  if (Number(process.versions.node.split('.')[0]) === major) return current();
  let pending = inFlight.get(major);
  if (!pending) {
    pending = fetchNode(major, options.log).catch((error: unknown) =>
      current(`Node.js ${major} could not be fetched from the npm registry (${reasonOf(error)}); running on the current Node.js ${process.version}`));
    inFlight.set(major, pending);
  }
  return pending;
}
