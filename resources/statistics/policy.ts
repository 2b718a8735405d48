/**
 * Who may read the statistics pages (查询统计, 4.5.1–4.5.3). Each page's records are the areas it
 * can show — organisations of the jurisdiction of the kinds a drill-down visits — so an area
 * asked for by id (?area=) is read through these rules like any record.
 */
import type { Policy } from '../../src/access/policy.js';
import { inJurisdiction } from '../../src/access/scopes.js';

export type AreaKind = 'province_hr' | 'city_hr' | 'county_hr' | 'unit';
export const AREA_KINDS: AreaKind[] = ['province_hr', 'city_hr', 'county_hr', 'unit'];

export interface StatisticsPage { id: string; action: string; permission: string }

export const statisticsPages: StatisticsPage[] = [
  { id: 'statistics_overview', action: 'overview', permission: 'stats.overview:view' },
  { id: 'statistics_completion', action: 'completion', permission: 'stats.completion:view' },
  { id: 'statistics_series', action: 'series', permission: 'stats.series:view' },
];

export const statisticsPolicy = (page: StatisticsPage): Policy => ({
  id: page.id,
  table: 'organisations',
  actions: { [page.action]: page.permission },
  scope: inJurisdiction('path'),
  view: { kind: { $in: AREA_KINDS } },
  readable: ['id', 'name', 'path', 'depth', 'kind'],
  writable: {},
});

export const [statisticsOverviewPolicy, statisticsCompletionPolicy, statisticsSeriesPolicy] = statisticsPages.map(statisticsPolicy);
