/**
 * 查询统计 pages (manual 4.5.1–4.5.3): 继教综合统计查询, 继教完成情况查询, 职称系列分布查询.
 * Each is a menu entry whose page is one resource action; the area drilled into (?area=) is an
 * organisation read through this resource's access rules (areaFor, shared with the pages'
 * reports), so a forged area outside the jurisdiction is refused and audited.
 */
import { Op, QueryTypes, type Sequelize } from 'sequelize';
import { ValidationError, type ActionContext, type ActionRequest, type ResourceOptions } from 'adminjs';
import type { Models } from '../../src/db/models.js';
import { defineResource, canRun } from '../../src/admin/define-resource.js';
import { nav } from '../../src/admin/navigation.js';
import { inJurisdiction } from '../../src/access/scopes.js';
import { principalOf } from '../../src/access/scoped-resource.js';
import type { Principal } from '../../src/access/principal.js';
import { Components } from '../../src/admin/components/index.js';
import { sequelizeOf } from '../../actions/request-data.js';
import { AREA_KINDS, areaFor, completion, overview, seriesDistribution, statisticsYears, type Area } from '../../src/services/statistics.js';

function yearOf(value: unknown): number {
  if (value === undefined || value === '') return new Date().getFullYear();
  const year = Number(value);
  if (!Number.isInteger(year) || !statisticsYears().includes(year)) throw new ValidationError({}, { message: '年度无效，请选择近五年中的一年' });
  return year;
}

/** 当前位置: the areas from the admin's own organisation down to the one shown. */
async function trailOf(sequelize: Sequelize, p: Principal, area: Area): Promise<Array<{ id: number; name: string }>> {
  const ids = area.path.split('/').filter(Boolean).map(Number);
  return sequelize.query<{ id: number; name: string }>(
    'SELECT id, name FROM organisations WHERE id IN (:ids) AND depth >= :from ORDER BY depth',
    { replacements: { ids, from: p.orgDepth }, type: QueryTypes.SELECT },
  );
}

function statisticsPage(compute: (sequelize: Sequelize, area: Area, year: number) => Promise<object>, component: string) {
  return {
    actionType: 'resource' as const,
    component,
    showInDrawer: false,
    // The page is the menu entry itself: no button to itself in its header.
    showResourceActions: false,
    async handler(request: ActionRequest, _res: unknown, context: ActionContext) {
      const year = yearOf(request.query?.year);
      const p = principalOf(context);
      const sequelize = sequelizeOf(context);
      const area = await areaFor(sequelize, p, context.resource.id(), context.action.name, request.query?.area);
      return { ...(await compute(sequelize, area, year)), years: statisticsYears(), trail: await trailOf(sequelize, p, area) };
    },
  };
}

interface Page { id: string; action: string; permission: string; compute: (sequelize: Sequelize, area: Area, year: number) => Promise<object> }

const pages: Page[] = [
  { id: 'statistics_overview', action: 'overview', permission: 'stats.overview:view', compute: overview },
  { id: 'statistics_completion', action: 'completion', permission: 'stats.completion:view', compute: completion },
  { id: 'statistics_series', action: 'series', permission: 'stats.series:view', compute: (s, area) => seriesDistribution(s, area) },
];

function statisticsResource(page: Page) {
  return ({ Organisation }: Models) => defineResource({
    id: page.id,
    model: Organisation,
    access: {
      actions: { [page.action]: page.permission },
      scope: inJurisdiction('path'),
      readable: ['id', 'name', 'path', 'depth', 'kind'],
      writable: {},
    },
    scoped: { viewWhere: { kind: { [Op.in]: AREA_KINDS } } },
    options: {
      navigation: nav.stats,
      // The menu entry opens the page itself (there is no list of records behind it).
      href: ({ h, currentAdmin }) => canRun(page.id, page.action)({ currentAdmin })
        ? h.resourceActionUrl({ resourceId: page.id, actionName: page.action }) : '',
      actions: { [page.action]: statisticsPage(page.compute, Components.Statistics) },
    } as Omit<ResourceOptions, 'id'>,
  });
}

export const [statisticsOverviewResource, statisticsCompletionResource, statisticsSeriesResource] = pages.map(statisticsResource);
