/**
 * A report (报表): columns and a stream of rows read in one principal's scope. The export
 * writer turns any report into an xlsx; export jobs (manual and scheduled) run them.
 */
import type { Sequelize } from 'sequelize';
import type { Principal } from '../../access/principal.js';

export interface ReportColumn { key: string; header: string; width?: number }

export interface ReportContext {
  sequelize: Sequelize;
  /**
   * Where the report's rows are read: the read replica when the export job has one
   * (src/db/replica.ts), walled like `sequelize`; absent, `sequelize` itself.
   */
  reader?: Sequelize;
  principal: Principal;            // whose scope the rows are read in (a scheduled job acts as the jurisdiction's system principal)
  params: Record<string, unknown>; // e.g. { year: 2025 }
}

/** The connection a report reads its rows from. */
export const readerIn = (ctx: ReportContext): Sequelize => ctx.reader ?? ctx.sequelize;

export interface ReportDefinition {
  key: string;                     // 'person-roster'
  title: string;                   // Chinese, e.g. '专技人员名册'
  permission: string;              // permission code required to run it
  columns: ReportColumn[];
  rows(ctx: ReportContext): AsyncIterable<Record<string, unknown>>; // streamed, scoped
}
