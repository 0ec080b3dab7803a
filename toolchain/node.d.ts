/** A Node.js binary fetched from the npm registry into the cache. */
export interface FetchedNode {
  /** Absolute path of the node binary. */
  readonly binary: string;
  /** e.g. `v24.11.0` */
  readonly version: string;
  /** `cache` (fetched earlier) or `download` (fetched now). */
  readonly source: 'cache' | 'download';
}
/** Node.js of exactly `major`: the cached download, else a fresh one from the npm registry. */
export declare function fetchNode(major: number, log?: (line: string) => void): Promise<FetchedNode>;
/** `PATH` with a Node.js of at least `major` first (unchanged when the running one is). */
export declare function pathWithNode(major: number, currentPath?: string): Promise<string>;
/** The first line of an npm or process error that says what went wrong. */
export declare function reasonOf(error: unknown): string;
