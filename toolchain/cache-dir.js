'use strict';
/**
 * The project's git-ignored cache, `.local-cloud/` at the project root: what is fetched or built once (a
 * Node.js binary, the pinned Python tools, the Lambda runtime's SDK modules) and reused. Several processes
 * (parallel test workers, a background CI job) may fill it at once, so an entry is built in a private work
 * directory and published with one rename; whoever renames first wins, and the others find it done.
 *
 * Plain JavaScript, like everything in toolchain/: it runs before the project's toolchain does, on whatever
 * Node.js the machine has (see node.js in this folder).
 */
const fs = require('node:fs');
const path = require('node:path');

/** The project root (this file lives in `<root>/toolchain/`). */
const PROJECT_ROOT = path.resolve(__dirname, '..');
/** The git-ignored cache. */
const CACHE_DIR = path.join(PROJECT_ROOT, '.local-cloud');

/** A work directory in progress is younger than this; an older one was left by an interrupted process. */
const ABANDONED_AFTER_MS = 10 * 60_000;

/** A fresh work directory `<prefix><random>` in the cache, after removing abandoned ones of the same prefix. */
function workDirectory(prefix) {
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  for (const entry of fs.readdirSync(CACHE_DIR).filter((e) => e.startsWith(prefix))) {
    const abandoned = path.join(CACHE_DIR, entry);
    if (Date.now() - fs.statSync(abandoned).mtimeMs > ABANDONED_AFTER_MS) fs.rmSync(abandoned, { recursive: true, force: true });
  }
  return fs.mkdtempSync(path.join(CACHE_DIR, prefix));
}

/**
 * Publishes the directory `built` as `home` with one rename. If another process published `home` first
 * (then `ready`, a path inside it, exists), its entry is kept and `built` is left for the caller to remove.
 */
function publish(built, home, ready) {
  try {
    fs.renameSync(built, home);
  } catch (error) {
    if (!fs.existsSync(ready)) throw error;
  }
}

module.exports = { PROJECT_ROOT, CACHE_DIR, workDirectory, publish };
