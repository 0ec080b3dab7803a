/** The project root. */
export declare const PROJECT_ROOT: string;
/** The git-ignored cache `.local-cloud/` at the project root. */
export declare const CACHE_DIR: string;
/** A fresh work directory `<prefix><random>` in the cache, after removing abandoned ones of the same prefix. */
export declare function workDirectory(prefix: string): string;
/** Publishes the directory `built` as `home` with one rename, unless another process published `home` (holding `ready`) first. */
export declare function publish(built: string, home: string, ready: string): void;
