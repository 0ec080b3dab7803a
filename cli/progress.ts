/**
 * The progress line of a long run, on standard error: rows made, rows per second and the time left, rewritten in place
 * at most once a second on a terminal (one line every 10 s otherwise, so a CI log stays short).
 */
import { performance } from 'node:perf_hooks';

export interface ProgressLine {
  /** `done` of `total` units of work (bytes of the file before compression) are made. */
  update(done: number): void;
  /** Ends the line with what was made. */
  finish(summary: string): void;
}

/** Runs shorter than this never print a progress line: it would only flicker. */
const QUIET_MS = 1000;

export function startProgress(
  label: string, rows: number, totalUnits: number, stream: NodeJS.WriteStream = process.stderr, enabled = true,
): ProgressLine {
  const started = performance.now();
  const interactive = stream.isTTY === true;
  const everyMs = interactive ? 1000 : 10_000;
  let lastPrinted = started;
  let printed = false;
  const show = (text: string, final: boolean) => {
    if (!enabled) return;
    if (interactive) stream.write(`\r\x1b[2K${text}${final ? '\n' : ''}`);
    else stream.write(`${text}\n`);
    printed = true;
  };
  return {
    update(done) {
      const now = performance.now();
      if (now - started < QUIET_MS || now - lastPrinted < everyMs) return;
      lastPrinted = now;
      const share = Math.min(1, totalUnits > 0 ? done / totalUnits : 0);
      const rowsMade = Math.round(share * rows);
      const seconds = (now - started) / 1000;
      const rate = rowsMade / seconds;
      const eta = rate > 0 ? Math.max(0, (rows - rowsMade) / rate) : NaN;
      show(`${label}: ~${rowsMade.toLocaleString('en-US')} of ${rows.toLocaleString('en-US')} rows (${Math.round(share * 100)}%), `
        + `${Math.round(rate).toLocaleString('en-US')} rows/s, ETA ${Number.isFinite(eta) ? `${Math.ceil(eta)}s` : '?'}`, false);
    },
    finish(summary) {
      const seconds = (performance.now() - started) / 1000;
      if (printed || seconds * 1000 >= QUIET_MS) {
        show(`${label}: ${summary} in ${seconds.toFixed(1)}s (${Math.round(rows / Math.max(seconds, 1e-3)).toLocaleString('en-US')} rows/s)`, true);
      }
    },
  };
}
