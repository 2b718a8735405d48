/**
 * Every temporary file the platform writes — an upload while its request runs, an export while it
 * is written, a statistics download — lives in one folder of the system's temp directory, and is
 * removed when its request or job ends (each writer removes its own in `finally`). What a process
 * killed with SIGKILL leaves behind is older than any live request or job: every process sweeps
 * files older than an hour at start and then every ten minutes, so the folder cannot fill up.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const TEMP_DIR = path.join(os.tmpdir(), 'ce-platform-tmp');
const STALE_MS = 60 * 60_000;
const SWEEP_EVERY_MS = 10 * 60_000;

export function ensureTempDir(): string {
  fs.mkdirSync(TEMP_DIR, { recursive: true, mode: 0o700 });
  return TEMP_DIR;
}

/** A fresh path in the folder (`<prefix>-<uuid><ext>`); the caller removes the file. */
export function tempPath(prefix: string, ext = ''): string {
  return path.join(ensureTempDir(), `${prefix}-${crypto.randomUUID()}${ext}`);
}

/** Removes files older than `maxAgeMs`; returns how many. */
export function sweepStaleTempFiles(maxAgeMs = STALE_MS): number {
  let removed = 0;
  let names: string[];
  try { names = fs.readdirSync(TEMP_DIR); } catch { return 0; }
  const before = Date.now() - maxAgeMs;
  for (const name of names) {
    const file = path.join(TEMP_DIR, name);
    try {
      if (fs.statSync(file).mtimeMs < before) { fs.rmSync(file, { force: true }); removed++; }
    } catch { /* gone meanwhile */ }
  }
  return removed;
}

let sweeper: NodeJS.Timeout | undefined;
/** At start and every ten minutes, in every process (idempotent; the timer does not keep a process alive). */
export function startTempSweeper(): void {
  ensureTempDir();
  sweepStaleTempFiles();
  sweeper ??= setInterval(() => sweepStaleTempFiles(), SWEEP_EVERY_MS).unref();
}
