/**
 * The platform's spreadsheet import (批量导入), shared by every import (hours, persons):
 *
 * 1. guard: the xlsx is bounded (entries, uncompressed size) before anything parses it;
 * 2. validate: exceljs's streaming reader, the header must be the template's, every row is
 *    checked — shape and rules without the database, then against the database in chunks,
 *    inside the requesting admin's jurisdiction — and every bad row is reported with its
 *    reason in a downloadable xlsx;
 * 3. commit: the good rows in batches, each batch one transaction that also advances the
 *    job's `committed_rows` — a job killed half-way leaves no half-written batch, and the job
 *    says exactly how many rows are in.
 *
 * It runs as a background job; the panel polls its progress. The requesting admin's principal
 * is reloaded from the database, and every row is checked and written on its behalf (its
 * access context, so the database's row-level security and account guard apply as to a panel
 * request): a job never reaches outside that admin's current scope.
 */
import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { loadPrincipal, type Principal } from '../../access/principal.js';
import { asPlatform, runAs } from '../../access/context.js';
import { audit } from '../audit.js';
import { inspectXlsx, SpreadsheetRejected } from './xlsx-guard.js';
import { neutraliseCell, neutraliseRow } from '../spreadsheet/neutralise.js';
import { asciiXlsx } from './ascii-xlsx.js';
import { beat, JobLost, recoverStaleJobs, startHeartbeat } from '../../jobs/recovery.js';
import { config } from '../../../config/index.js';
import { jobMode, workerId } from '../../jobs/queue.js';

export interface ImportColumn { header: string; key: string; width?: number; example?: string }

export interface ImportContext {
  sequelize: Sequelize;
  principal: Principal;
  params: Record<string, unknown>;
  /** Anything a spec prepares once per job (the learning form, a cache …). */
  state: Record<string, unknown>;
}

export interface ImportSpec<T> {
  kind: 'hours' | 'persons';
  title: string;
  columns: ImportColumn[];
  prepare?(ctx: ImportContext): Promise<void>;
  /**
   * The row's shape and the rules that need no database. A row with errors reports all of them
   * (issue 17: row 5 also had a bad mobile, row 6 a bad level and an out-of-area unit) and may
   * carry its `partial` value — the fields that were valid — so that `check` reports the
   * database's rules on those too.
   */
  parse(raw: Record<string, string>, ctx: ImportContext): { value: T } | { error: string } | { errors: string[]; partial?: Partial<T> };
  /** Two rows with the same key are duplicates within the file. */
  keyOf(value: T): string;
  /**
   * The rules against the database, for a chunk of parsed rows (and the partial values of rows
   * that failed parsing: their missing fields are not checked): the errors of each row, or undefined.
   */
  check(rows: T[], ctx: ImportContext): Promise<Array<string | string[] | undefined>>;
  /** Writes one batch, inside the batch's transaction. */
  commit(rows: T[], ctx: ImportContext, transaction: Transaction): Promise<void>;
}

export const IMPORT_LIMITS = { maxRows: 200_000, checkChunk: 2_000, commitBatch: 1_000 };
/** Longest cell text; C0 controls (but tab and line breaks) and DEL are never data. */
const MAX_CELL = 200;
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const CONTROL_ALL = new RegExp(CONTROL.source, 'g');

const specs = new Map<string, ImportSpec<unknown>>();
export function registerImport<T>(spec: ImportSpec<T>): void {
  specs.set(spec.kind, spec as ImportSpec<unknown>);
}

/**
 * The cell rules every import applies before its own (a cell too long, control characters):
 * the values as kept (cut to the longest cell, controls removed) and the refusal, if any.
 */
export function screenRow(spec: Pick<ImportSpec<unknown>, 'columns'>, cells: string[]): { values: string[]; error?: string } {
  const values = spec.columns.map((_, i) => (cells[i] ?? '').slice(0, MAX_CELL));
  // Too long or with control characters: the row is refused, never cut short or left to the database.
  const long = spec.columns.findIndex((_c, i) => [...(cells[i] ?? '')].length > MAX_CELL);
  if (long >= 0) return { values, error: `「${spec.columns[long].header}」内容过长（不能超过 ${MAX_CELL} 个字符）` };
  const control = spec.columns.findIndex((_c, i) => CONTROL.test(cells[i] ?? ''));
  if (control >= 0) return { values: values.map((v) => v.replace(CONTROL_ALL, '')), error: `「${spec.columns[control].header}」含有不允许的控制字符` };
  return { values };
}

export type RowVerdict<T> = { value: T } | { reasons: string[] };

/**
 * Phase 1 of an import for rows already in memory (the integration API's records: src/api):
 * the same cell rules, the spec's parse, duplicates within the batch by the spec's key, and the
 * spec's check against the database — in the principal's access context, as for a file. One
 * pipeline: a record sent to the API is refused for exactly what a spreadsheet row is refused for.
 * `position(i)` names the i-th row in a duplicate's refusal (a file says 第 n 行).
 */
export async function validateRows<T>(
  spec: ImportSpec<T>, ctx: ImportContext, rows: Array<Record<string, string>>, position: (i: number) => string,
): Promise<Array<RowVerdict<T>>> {
  await spec.prepare?.(ctx);
  const out: Array<RowVerdict<T>> = new Array(rows.length);
  const seen = new Map<string, number>();
  // Rows to check against the database: whole ones, and the valid fields of rows that failed parsing (their errors so far with them).
  const pending: Array<{ i: number; value: T; errors: string[] }> = [];
  rows.forEach((raw, i) => {
    const screened = screenRow(spec as ImportSpec<unknown>, spec.columns.map((c) => raw[c.key] ?? ''));
    if (screened.error) { out[i] = { reasons: [screened.error] }; return; }
    const r = spec.parse(Object.fromEntries(spec.columns.map((c, j) => [c.key, screened.values[j]])), ctx);
    if ('error' in r) { out[i] = { reasons: [r.error] }; return; }
    if ('errors' in r) {
      if (r.partial) pending.push({ i, value: r.partial as T, errors: r.errors });
      else out[i] = { reasons: r.errors };
      return;
    }
    const key = JSON.stringify(spec.keyOf(r.value));
    const first = seen.get(key);
    if (first !== undefined) { out[i] = { reasons: [`与${position(first)}重复`] }; return; }
    seen.set(key, i);
    pending.push({ i, value: r.value, errors: [] });
  });
  for (let k = 0; k < pending.length; k += IMPORT_LIMITS.checkChunk) {
    const chunk = pending.slice(k, k + IMPORT_LIMITS.checkChunk);
    const errors = await spec.check(chunk.map((c) => c.value), ctx);
    chunk.forEach((c, j) => {
      const reasons = [...c.errors, ...[errors[j] ?? []].flat()];
      out[c.i] = reasons.length ? { reasons } : { value: c.value };
    });
  }
  return out;
}

export function importSpec(kind: string): ImportSpec<unknown> {
  const spec = specs.get(kind);
  if (!spec) throw new Error(`unknown import ${kind}`);
  return spec;
}

/** A blank template: the header row and one example row. */
export async function templateOf(kind: string): Promise<Buffer> {
  const spec = specs.get(kind);
  if (!spec) throw new Error(`unknown import ${kind}`);
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(spec.title);
  ws.columns = spec.columns.map((c) => ({ header: neutraliseCell(c.header), key: c.key, width: c.width ?? 18 }));
  ws.getRow(1).font = { bold: true };
  ws.addRow(neutraliseRow(Object.fromEntries(spec.columns.map((c) => [c.key, c.example ?? '']))));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((r) => r.text).join('').trim();
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
    if ('text' in v) return String(v.text).trim();
    return '';
  }
  return String(v).trim();
}

/** The failure report: bad rows as kept by phase 1, `[row, error, cells]` as JSON, in row order. */
async function writeReport(spec: ImportSpec<unknown>, bad: string[]): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise((r) => out.on('end', r));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
  const ws = wb.addWorksheet('导入失败信息');
  ws.columns = [{ header: '行号', key: '_row', width: 8 }, ...spec.columns.map((c) => ({ header: neutraliseCell(c.header), key: c.key, width: c.width ?? 18 })), { header: '失败原因', key: '_error', width: 48 }];
  // The uploaded cells go back to the admin as they came: neutralised, never as formulas.
  for (const b of bad) {
    const [row, error, cells] = JSON.parse(b) as [number, string, string[]];
    ws.addRow([row, ...spec.columns.map((_, i) => neutraliseCell(cells[i] ?? '')), neutraliseCell(error)]).commit();
  }
  ws.commit();
  await wb.commit();
  await done;
  return Buffer.concat(chunks);
}

interface JobRow { id: number; kind: string; requested_by: number; params: Record<string, unknown>; file: Buffer }

const running = new Set<Promise<void>>();
/** Jobs running in this process (graceful shutdown waits for them). */
export function runningImports(): Promise<void>[] { return [...running]; }

/** A web process in `queue` mode only enqueues: the worker claims the row (src/worker.ts). */
export function startImportJob(sequelize: Sequelize, jobId: number): void {
  if (jobMode() === 'queue') return;
  const p = runImportJob(sequelize, jobId).catch((e) => console.error(`导入任务 ${jobId} 异常：`, e)).finally(() => running.delete(p));
  running.add(p);
}

/** Claims the job and loads its admin as the platform; runs it on that admin's behalf. */
export function runImportJob(sequelize: Sequelize, jobId: number): Promise<void> {
  return asPlatform('导入任务', async () => {
    const job = await claimImport(sequelize, jobId);
    if (job) await runClaimedImport(sequelize, job);
  });
}

/** The worker: claims the oldest due queued import and runs it; false when none was due. `claimed` learns at once. */
export function runNextImport(sequelize: Sequelize, claimed: (found: boolean) => void = () => {}): Promise<boolean> {
  return asPlatform('导入任务', async () => {
    const job = await claimImport(sequelize, null);
    claimed(!!job);
    if (!job) return false;
    await runClaimedImport(sequelize, job);
    return true;
  });
}

const CLAIM = `status = 'validating', started_at = now(), heartbeat_at = now(), attempts = attempts + 1, run_after = NULL, claimed_by = :me`;
/** Claim: of several processes, one runs the job (by id, or the queue's oldest with SKIP LOCKED). */
async function claimImport(sequelize: Sequelize, jobId: number | null): Promise<JobRow | undefined> {
  const [job] = await sequelize.query<JobRow>(jobId !== null
    ? `UPDATE import_jobs SET ${CLAIM} WHERE id = :id AND status = 'queued' RETURNING id, kind, requested_by, params, file`
    : `UPDATE import_jobs SET ${CLAIM}
        WHERE id = (SELECT id FROM import_jobs WHERE status = 'queued' AND (run_after IS NULL OR run_after <= now())
                     ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
          AND status = 'queued'
        RETURNING id, kind, requested_by, params, file`,
  { replacements: { id: jobId, me: workerId }, type: QueryTypes.SELECT });
  return job;
}

async function runClaimedImport(sequelize: Sequelize, job: JobRow): Promise<void> {
  const jobId = job.id;
  // Every progress update is a heartbeat, conditional on the job still running (a sweep that
  // found it stale makes it throw JobLost — in a batch's transaction, which then rolls back).
  const update = (sets: string, r: Record<string, unknown> = {}, transaction?: Transaction) =>
    beat(sequelize, 'import_jobs', jobId, { sets, replacements: r, transaction });
  const heartbeat = startHeartbeat(sequelize, 'import_jobs', jobId);
  const spec = specs.get(job.kind);
  try {
    if (!spec) throw new SpreadsheetRejected('不支持的导入类型');
    const principal = await loadPrincipal(sequelize, job.requested_by, 'admin');
    if (!principal) throw new SpreadsheetRejected('发起导入的管理员账号已停用，任务终止');
    await runAs(principal, () => importRows(sequelize, spec, job, principal, update));
  } catch (e) {
    // Recovered by a sweep while this process was stalled: the job is failed already, its
    // committed batches stand, and this process writes nothing more.
    if (e instanceof JobLost || heartbeat.lost) { console.error(`导入任务 ${jobId} 已被判定为中断，停止处理`); return; }
    const message = e instanceof SpreadsheetRejected ? e.message : '导入失败：服务器内部错误，已提交的批次完整有效，可重新导入剩余数据';
    if (!(e instanceof SpreadsheetRejected)) console.error(`导入任务 ${jobId} 失败：`, e);
    await update("status = 'failed', error = :message, finished_at = now()", { message }).catch((lost) => { if (!(lost instanceof JobLost)) throw lost; });
  } finally {
    heartbeat.stop();
  }
}

type Update = (sets: string, r?: Record<string, unknown>, transaction?: Transaction) => Promise<unknown>;

/** Both phases, on behalf of the requesting admin. */
async function importRows(sequelize: Sequelize, spec: ImportSpec<unknown>, job: JobRow, principal: Principal, update: Update): Promise<void> {
  const jobId = job.id;
  {
    const ctx: ImportContext = { sequelize, principal, params: job.params, state: {} };
    await spec.prepare?.(ctx);
    await inspectXlsx(job.file);
    const workbook = await asciiXlsx(job.file);

    // Phase 1: stream the rows; each row is parsed, checked for duplicates within the file, and
    // every `checkChunk` rows the chunk is checked against the database. Memory stays flat: no
    // row objects or cell strings survive their chunk — a good row is kept as one compact JSON
    // string (what the commit needs), a bad row as one JSON string (what the report needs), a
    // duplicate key as one flat string. (Cells are slices of exceljs's XML chunks: keeping them
    // would keep the whole sheet's text alive.)
    const good: string[] = [];
    const bad: string[] = [];
    let total = 0;
    let pending: Array<{ row: number; cells: string[]; value: unknown; errors: string[] }> = [];
    const flush = async () => {
      if (!pending.length) return;
      const checked = await spec.check(pending.map((c) => c.value), ctx);
      pending.forEach((c, j) => {
        // Every error of the row, in column order of the rules: the file's own, then the database's.
        const errors = [...c.errors, ...[checked[j] ?? []].flat()];
        if (errors.length) bad.push(JSON.stringify([c.row, errors.join('；'), c.cells]));
        else good.push(JSON.stringify(c.value));
      });
      pending = [];
      await update('progress = :p', { p: Math.min(49, 10 + Math.floor(total / 2_000)) });
    };
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(workbook), { sharedStrings: 'cache', styles: 'ignore', hyperlinks: 'ignore', worksheets: 'emit', entries: 'emit' });
    let header: string[] | undefined;
    const seen = new Map<string, number>();
    for await (const sheet of reader) {
      for await (const row of sheet) {
        const cells = (row.values as ExcelJS.CellValue[]).slice(1).map(cellText);
        if (!header) {
          header = cells;
          const expected = spec.columns.map((c) => c.header);
          if (expected.some((h, i) => header![i] !== h)) throw new SpreadsheetRejected(`导入文件与模板格式不符：表头应为「${expected.join('、')}」，请下载最新模板后重新填写`);
          continue;
        }
        if (cells.every((c) => !c)) continue;
        if (total >= IMPORT_LIMITS.maxRows) throw new SpreadsheetRejected(`单个文件最多导入 ${IMPORT_LIMITS.maxRows} 行，请分批导入`);
        total++;
        const { values, error } = screenRow(spec, cells);
        if (error) { bad.push(JSON.stringify([row.number, error, values])); continue; }
        const raw = Object.fromEntries(spec.columns.map((c, i) => [c.key, values[i]]));
        const r = spec.parse(raw, ctx);
        if ('error' in r) { bad.push(JSON.stringify([row.number, r.error, values])); continue; }
        if ('errors' in r) {
          if (r.partial) pending.push({ row: row.number, cells: values, value: r.partial, errors: r.errors });
          else bad.push(JSON.stringify([row.number, r.errors.join('；'), values]));
          if (pending.length >= IMPORT_LIMITS.checkChunk) await flush();
          continue;
        }
        const key = JSON.stringify(spec.keyOf(r.value)); // a fresh flat string
        const first = seen.get(key);
        if (first !== undefined) { bad.push(JSON.stringify([row.number, `与第 ${first} 行重复`, values])); continue; }
        seen.set(key, row.number);
        pending.push({ row: row.number, cells: values, value: r.value, errors: [] });
        if (pending.length >= IMPORT_LIMITS.checkChunk) await flush();
      }
      break; // the first worksheet only
    }
    if (!header) throw new SpreadsheetRejected('导入文件是空的');
    await flush();
    seen.clear();
    await update('total_rows = :n, progress = 50', { n: total });
    bad.sort((a, b) => Number(a.slice(1, a.indexOf(','))) - Number(b.slice(1, b.indexOf(','))));
    const report = bad.length ? await writeReport(spec, bad) : null;
    await update("status = 'committing', valid_rows = :v, error_rows = :e, error_report = :report, progress = 50",
      { v: good.length, e: bad.length, report });

    // Phase 2: commit the good rows, batch by batch.
    for (let i = 0; i < good.length; i += IMPORT_LIMITS.commitBatch) {
      const batch = good.slice(i, i + IMPORT_LIMITS.commitBatch).map((g) => JSON.parse(g) as unknown);
      await sequelize.transaction(async (transaction) => {
        await spec.commit(batch, ctx, transaction);
        await update('committed_rows = committed_rows + :n, progress = :p',
          { n: batch.length, p: 50 + Math.floor((50 * (i + batch.length)) / good.length) }, transaction);
      });
    }
    await update("status = 'succeeded', progress = 100, finished_at = now()");
    await audit({ actor: principal, action: 'import', resource: `import_jobs:${job.kind}`, recordId: jobId, after: { total, committed: good.length, errors: bad.length } });
  }
}

/**
 * At start (boot.ts) and in every process's periodic sweep (src/jobs/recovery.ts): a job whose
 * heartbeat is stale — its process died — is marked failed; its committed batches stand.
 */
export async function failInterruptedImports(sequelize: Sequelize, staleSeconds = config.jobs.staleSeconds): Promise<number> {
  return (await recoverStaleJobs(sequelize, { staleSeconds, only: 'import_jobs' })).imports.length;
}
