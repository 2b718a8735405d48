/**
 * The statistics pages as reports (报表): what their 导出数据 button downloads, and what a
 * schedule in config/scheduled-exports.ts can export. The area is the principal's own
 * organisation or `params.area`, which must pass the statistics page's own access rules.
 * The area is checked (and a refusal audited) on the primary; the numbers come from the
 * export job's reader, the read replica when there is one.
 */
import { areaFor, areaShortName, completion, overview, seriesDistribution } from '../statistics.js';
import { reportYear } from './params.js';
import { readerIn, type ReportContext, type ReportDefinition } from './types.js';

const areaOf = (ctx: ReportContext, resourceId: string, action: string) => areaFor(ctx.sequelize, ctx.principal, resourceId, action, ctx.params.area);

/** 完成率 as a number (the ratio, shown 32.4% by the column's format), empty where nobody counts. */
const rate = (completed: number, persons: number) => (persons ? completed / persons : null);
const RATE = { key: 'rate', header: '完成率', format: 'percent' as const };

/** 济南市-2026-继教综合统计: the area, the year (when the report has one) and the title. */
const fileNameOf = (resourceId: string, action: string, title: string, withYear: boolean) => async (ctx: ReportContext) =>
  [areaShortName((await areaOf(ctx, resourceId, action)).name), ...(withYear ? [String(reportYear(ctx.params))] : []), title].join('-');

export const overviewReport: ReportDefinition = {
  key: 'statistics-overview',
  title: '继教综合统计',
  permission: 'stats.overview:view',
  fileName: fileNameOf('statistics_overview', 'overview', '继教综合统计', true),
  columns: [
    { key: 'name', header: '地区/单位', width: 30 }, { key: 'persons', header: '专技人员' }, { key: 'declarations', header: '申报记录' },
    { key: 'declaredHours', header: '申报学时' }, { key: 'approvedHours', header: '认定学时' }, { key: 'publicHours', header: '其中公需科目' },
    { key: 'professionalHours', header: '其中专业科目' }, { key: 'completed', header: '已完成人数' }, RATE,
  ],
  async *rows(ctx) {
    const data = await overview(readerIn(ctx), await areaOf(ctx, 'statistics_overview', 'overview'), reportYear(ctx.params));
    for (const r of [...data.rows, data.total]) yield { ...r, rate: rate(r.completed, r.persons) };
  },
};

export const completionReport: ReportDefinition = {
  key: 'statistics-completion',
  title: '继教完成情况',
  permission: 'stats.completion:view',
  fileName: fileNameOf('statistics_completion', 'completion', '继教完成情况', true),
  columns: [
    { key: 'name', header: '地区/单位/职称级别', width: 30 }, { key: 'persons', header: '专技人员' }, { key: 'completed', header: '已完成' },
    { key: 'partly', header: '部分完成' }, { key: 'none', header: '未开始' }, RATE,
  ],
  async *rows(ctx) {
    const data = await completion(readerIn(ctx), await areaOf(ctx, 'statistics_completion', 'completion'), reportYear(ctx.params));
    for (const r of data.byArea) yield { ...r, rate: rate(r.completed, r.persons) };
    yield { name: `${data.area.name}合计`, ...data.total, rate: rate(data.total.completed, data.total.persons) };
    for (const l of data.byLevel) yield { ...l, name: `职称级别：${l.label}`, rate: rate(l.completed, l.persons) };
  },
};

export const seriesReport: ReportDefinition = {
  key: 'statistics-series',
  title: '职称系列分布',
  permission: 'stats.series:export',
  fileName: fileNameOf('statistics_series', 'series', '职称系列分布', false),
  columns: [
    { key: 'series', header: '职称系列', width: 20 }, { key: 'senior', header: '正高级' }, { key: 'vice_senior', header: '副高级' },
    { key: 'intermediate', header: '中级' }, { key: 'assistant', header: '助理级' }, { key: 'junior', header: '员级' },
    { key: 'none', header: '未评定' }, { key: 'total', header: '合计' },
  ],
  async *rows(ctx) {
    const data = await seriesDistribution(readerIn(ctx), await areaOf(ctx, 'statistics_series', 'series'));
    for (const r of data.rows) yield { series: r.series, ...r.counts, total: r.total };
    yield { series: '合计', ...data.total.counts, total: data.total.total };
  },
};
