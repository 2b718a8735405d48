/**
 * 查询统计 pages (manual 4.5.1–4.5.3): 继教综合统计查询, 继教完成情况查询, 职称系列分布查询.
 * Each is a menu entry whose page is one resource action; the area drilled into (?area=) is an
 * organisation read through this resource's access rules (areaFor, shared with the pages'
 * reports), so a forged area outside the jurisdiction is refused and audited.
 */
import { Op, type Sequelize } from 'sequelize';
import { scopeOf } from '../../src/access/scope.js';
import { ValidationError, type ActionContext, type ActionRequest, type ResourceOptions } from 'adminjs';
import type { Models } from '../../src/db/models.js';
import { defineResource, canRun } from '../../src/admin/define-resource.js';
import { nav } from '../../src/admin/navigation.js';
import type { Policy } from '../../src/access/policy.js';
import { statisticsCompletionPolicy, statisticsOverviewPolicy, statisticsSeriesPolicy } from './policy.js';
import { principalOf } from '../../src/admin/scoped-resource.js';
import type { Principal } from '../../src/access/principal.js';
import { Components } from '../../src/admin/components/index.js';
import { sequelizeOf } from '../../actions/request-data.js';
import { onReader } from '../../src/db/replica.js';
import { recomputeNotice } from '../../src/jobs/recompute.js';
import { areaFor, completion, overview, seriesDistribution, yearsWithData, type Area } from '../../src/services/statistics.js';

/**
 * The year asked for; by default the newest year with data in the area. A year the URL carries
 * from another area (a drill-down keeps ?year=) is shown even where it has no data, as zeros.
 */
function yearOf(value: unknown, years: number[]): number {
  if (value === undefined || value === '') return years[0];
  const year = Number(value);
  if (!Number.isInteger(year) || year < 2000 || year > new Date().getFullYear()) throw new ValidationError({}, { message: '年度无效，请从年度列表中选择' });
  return year;
}

/** 当前位置: the areas from the admin's own organisation down to the one shown (its ancestors the page's scope reaches). */
async function trailOf(sequelize: Sequelize, p: Principal, entity: string, action: string, area: Area): Promise<Array<{ id: number; name: string }>> {
  const ids = area.path.split('/').filter(Boolean).map(Number);
  return sequelize.model('Organisation').findAll({
    where: { [Op.and]: [{ id: { [Op.in]: ids } }, scopeOf(p, entity, action).where] }, attributes: ['id', 'name'], order: [['depth', 'ASC']], raw: true,
  }) as unknown as Promise<Array<{ id: number; name: string }>>;
}

function statisticsPage(compute: (sequelize: Sequelize, area: Area, year: number) => Promise<object>, component: string) {
  return {
    actionType: 'resource' as const,
    component,
    showInDrawer: false,
    // The page is the menu entry itself: no button to itself in its header.
    showResourceActions: false,
    async handler(request: ActionRequest, _res: unknown, context: ActionContext) {
      const p = principalOf(context);
      const sequelize = sequelizeOf(context);
      const area = await areaFor(sequelize, p, context.resource.id(), context.action.name, request.query?.area);
      // The year list offers only the years with data in this area (issue 17: not five empty years).
      const withData = await yearsWithData(sequelize, area);
      const year = yearOf(request.query?.year, withData);
      const years = withData.includes(year) ? withData : [...withData, year].sort((a, b) => b - a);
      // The numbers from the read replica when there is one (src/db/replica.ts); the area's
      // check, its audit and the trail stay on the primary.
      // While a new rule of the year is being applied, the page says its totals are partly the old rule's.
      return { ...(await onReader(sequelize, (reader) => compute(reader, area, year))), years, trail: await trailOf(sequelize, p, context.resource.id(), context.action.name, area),
        recomputing: await recomputeNotice(sequelize) };
    },
  };
}

interface Page { policy: Policy; action: string; compute: (sequelize: Sequelize, area: Area, year: number) => Promise<object> }

const pages: Page[] = [
  { policy: statisticsOverviewPolicy, action: 'overview', compute: overview },
  { policy: statisticsCompletionPolicy, action: 'completion', compute: completion },
  { policy: statisticsSeriesPolicy, action: 'series', compute: (s, area) => seriesDistribution(s, area) },
];

function statisticsResource(page: Page) {
  return ({ Organisation }: Models) => defineResource({
    policy: page.policy,
    model: Organisation,
    options: {
      navigation: nav.stats,
      // The menu entry opens the page itself (there is no list of records behind it).
      href: ({ h, currentAdmin }) => canRun(page.policy.id, page.action)({ currentAdmin })
        ? h.resourceActionUrl({ resourceId: page.policy.id, actionName: page.action }) : '',
      actions: { [page.action]: statisticsPage(page.compute, Components.Statistics) },
    } as Omit<ResourceOptions, 'id'>,
  });
}

export const [statisticsOverviewResource, statisticsCompletionResource, statisticsSeriesResource] = pages.map(statisticsResource);
