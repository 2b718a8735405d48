/**
 * A report (报表): columns and a stream of rows read in one principal's scope. The export
 * writer turns any report into an xlsx; export jobs (manual and scheduled) run them.
 */
import type { Sequelize } from 'sequelize';
import type { Principal } from '../../access/principal.js';

/** numFmt: an Excel number format for the column's cells (完成率 '0.0%': the cell holds the ratio as a number). */
export interface ReportColumn { key: string; header: string; width?: number; numFmt?: string }

export interface ReportContext {
  sequelize: Sequelize;
  principal: Principal;            // whose scope the rows are read in (a scheduled job acts as the jurisdiction's system principal)
  params: Record<string, unknown>; // e.g. { year: 2025 }
}

export interface ReportDefinition {
  key: string;                     // 'person-roster'
  title: string;                   // Chinese, e.g. '专技人员名册'
  permission: string;              // permission code required to run it
  columns: ReportColumn[];
  rows(ctx: ReportContext): AsyncIterable<Record<string, unknown>>; // streamed, scoped
  /** The downloaded file's name without .xlsx (e.g. 济南市-2026-继教综合统计); default: the title. */
  fileName?(ctx: ReportContext): Promise<string>;
}
