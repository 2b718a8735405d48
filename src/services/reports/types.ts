/**
 * A report (报表): columns and a stream of rows read in one principal's scope. The export
 * writer turns any report into an xlsx; export jobs (manual and scheduled) run them.
 */
import type { Sequelize } from 'sequelize';
import type { Principal } from '../../access/principal.js';

/**
 * A column; `format` gives its cells a number format (a number stays a number, a fraction
 * shows as a percentage, a date as a date): 'percent' → 0.0%, 'date' → yyyy-mm-dd,
 * 'datetime' → yyyy-mm-dd hh:mm.
 */
export interface ReportColumn { key: string; header: string; width?: number; format?: 'percent' | 'date' | 'datetime' | 'decimal' }

export interface ReportContext {
  sequelize: Sequelize;
  /**
   * Where the report's rows are read: the read replica when the export job has one
   * (src/db/replica.ts), walled like `sequelize`; absent, `sequelize` itself.
   */
  reader?: Sequelize;
  principal: Principal;            // whose scope the rows are read in (a scheduled job acts as the jurisdiction's system principal)
  params: Record<string, unknown>; // e.g. { year: 2025 }
  /** Told the number of rows written so far (every few thousand rows): an export job's progress. */
  progress?(rows: number): void;
}

/** The connection a report reads its rows from. */
export const readerIn = (ctx: ReportContext): Sequelize => ctx.reader ?? ctx.sequelize;

export interface ReportDefinition {
  key: string;                     // 'person-roster'
  title: string;                   // Chinese, e.g. '专技人员名册'
  permission: string;              // permission code required to run it
  /** Beyond `permission`: whether the principal may run it with these parameters (a list export: the list's own right). */
  allowed?(p: Principal, params: Record<string, unknown>): boolean;
  columns: ReportColumn[];
  /** Columns that depend on the parameters (a list export: the list's visible columns); `columns` otherwise. */
  columnsOf?(ctx: ReportContext): Promise<ReportColumn[]> | ReportColumn[];
  /** The title of a run (its file's name), when it depends on the parameters. */
  titleOf?(params: Record<string, unknown>): string;
  rows(ctx: ReportContext): AsyncIterable<Record<string, unknown>>; // streamed, scoped
  /** The downloaded file's name without .xlsx (e.g. 济南市-2026-继教综合统计); default: the title. */
  fileName?(ctx: ReportContext): Promise<string>;
}
