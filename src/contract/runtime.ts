/**
 * The Lambda Node.js runtimes of the generator: one source for the construct (its default runtime and its check of prop
 * `runtime`), the build (.projenrc.ts: the handler bundle's esbuild target) and the local cloud (which Node.js runs the
 * handler, read from the deployed function's runtime).
 *
 * How the default follows Lambda: it names one runtime, never `Runtime.NODEJS_LATEST` (which aws-cdk-lib resolves from
 * the version a user installed, so a template would change under the same library version). When Lambda adds a newer
 * Node.js runtime, the user's-view check (test/languages/consumer-app.check.ts, with the newest aws-cdk-lib and cdk-nag)
 * fails and names it; raising DEFAULT_NODE_MAJOR here is then the whole change.
 */

/** Node.js major of the construct's default runtime: Lambda's newest Node.js runtime, `nodejs26.x`. */
export const DEFAULT_NODE_MAJOR = 26;

/**
 * The oldest Node.js major prop `runtime` accepts, and the handler bundle's esbuild target, so the bundle runs on every
 * runtime the construct accepts (Zstandard output needs Node.js 22.15: src/contract/output-format.ts). The local cloud's
 * tests run the handler on the default and on Node.js 24.
 */
export const OLDEST_NODE_MAJOR = 20;

/** The Lambda runtime name of a Node.js major (`26` → `nodejs26.x`). */
export function nodeRuntimeName(major: number): string {
  return `nodejs${major}.x`;
}
