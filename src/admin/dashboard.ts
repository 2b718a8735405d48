/**
 * The to-do panel (待办事项): for the logged-in admin, the number of pending items in each
 * review list it may open, counted through the scoped resources (so only its jurisdiction).
 */
import type AdminJS from 'adminjs';
import { Filter, type ActionContext } from 'adminjs';
import type { Principal } from '../access/principal.js';
import type { ScopedResource } from './scoped-resource.js';
import { canRun } from './define-resource.js';
import { resourceSpecs } from './locale.js';

export const TODO_LISTS: Array<{ resourceId: string; status: string }> = [
  { resourceId: 'registrations', status: 'pending' },
  { resourceId: 'change_requests', status: 'pending' },
  { resourceId: 'annual_plan_reviews', status: 'pending' },
  { resourceId: 'plan_declaration_reviews', status: 'pending' },
  { resourceId: 'work_summary_reviews', status: 'pending' },
  { resourceId: 'transfer_out_reviews', status: 'pending' },
  { resourceId: 'transfer_in_reviews', status: 'pending' },
  { resourceId: 'superior_change_reviews', status: 'pending' },
  { resourceId: 'unit_first_reviews', status: 'pending_unit' },
  { resourceId: 'hour_reviews', status: 'pending' },
  { resourceId: 'ce_base_hour_reviews', status: 'pending' },
  { resourceId: 'unit_plan_reviews', status: 'pending' },
  { resourceId: 'unit_hours_reviews', status: 'pending' },
];

function resourceLabel(id: string): string {
  return (resourceSpecs as Record<string, { label: string }>)[id]?.label ?? id;
}

export function dashboardHandler(admin: AdminJS) {
  return async (_req: unknown, _res: unknown, context: { currentAdmin?: unknown }) => {
    const p = context.currentAdmin as Principal;
    const todos = [];
    for (const { resourceId, status } of TODO_LISTS) {
      const ctx = { currentAdmin: p } as unknown as ActionContext;
      if (!canRun(resourceId, 'list')(ctx)) continue;
      const resource = admin.findResource(resourceId) as unknown as ScopedResource;
      const filter = new Filter({ status }, resource);
      const count = await resource.count(filter, ctx);
      todos.push({
        resourceId, label: resourceLabel(resourceId), count,
        href: `${admin.options.rootPath}/resources/${resourceId}?filters.status=${status}`,
      });
    }
    return { organisationName: p.organisationName, todos, generatedAt: new Date().toISOString() };
  };
}
