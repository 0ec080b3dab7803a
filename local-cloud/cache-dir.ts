/**
 * The git-ignored cache `.local-cloud/` at the project root, shared with the build toolchain (which fills it
 * before any TypeScript runs, so the code lives in plain JavaScript in toolchain/cache-dir.js).
 */
export { CACHE_DIR, PROJECT_ROOT, publish, workDirectory } from '../toolchain/cache-dir';
