/**
 * Where background jobs (imports, exports) run — issue 16, item 1.
 *
 * - `inline` (tests, the benchmark, bootPlatform used as a library): the process that creates a
 *   job runs it at once, as before the worker existed; a job whose process died is failed.
 * - `queue` (`npm start`: the web processes and the worker, src/main.ts): a web process only
 *   inserts the job and reads its state; the worker (src/worker.ts) claims queued jobs from the
 *   tables. A job whose worker died is handed back to the queue (src/jobs/recovery.ts) and the
 *   next worker runs it; a retry waits in the row (`run_after`), not in a timer.
 *
 * The engine decides by this setting only; it imports nothing of the panel.
 */
import os from 'node:os';

export type JobMode = 'inline' | 'queue';
let mode: JobMode = 'inline';

export function setJobMode(m: JobMode): void { mode = m; }
export function jobMode(): JobMode { return mode; }

/** What a claimed row's `claimed_by` says: this host and process. */
export const workerId = `${os.hostname()}:${process.pid}`;

/** A job handed back after its worker died is tried this many times in all. */
export const MAX_HANDBACKS = 3;

/**
 * Reports that read through the panel's resources (导出 of a list: its ScopedResource, filters
 * and columns, src/admin/list-export.ts) run only where the panel is built — the web process
 * that created the job (`startExportJob(…, { inProcess: true })`); the worker loads no AdminJS,
 * never claims them, and recovery fails rather than hands back one whose process died.
 */
export const PANEL_REPORTS = ['list-export'];
