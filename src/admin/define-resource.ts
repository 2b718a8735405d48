/**
 * Declares one AdminJS resource from its policy (resources/<entity>/policy.ts, registered in
 * resources/policies.ts): its records go through a ScopedResource, every action — built-in or
 * custom — is accessible exactly when the principal's ability allows it, and every custom
 * action's platform errors reach AdminJS as its own. Resource modules call this and nothing
 * else to exist in the panel; a resource whose policy is not in the registry cannot be built.
 */
import type { ActionContext, ResourceOptions, ResourceWithOptions } from 'adminjs';
import { mayRun } from '../access/scope.js';
import type { Policy } from '../access/policy.js';
import type { Principal } from '../access/principal.js';
import { REFERENCE_LINKABLE, ScopedResource, type ScopedResourceOptions } from './scoped-resource.js';
import type { AnyModel } from '../db/models.js';
import { policyOf } from '../../resources/policies.js';
import { adminHandler } from './errors.js';
import { exportListAction } from '../../actions/export-list.js';
import { exportableList } from '../services/exports/list-access.js';

const BUILT_IN = ['list', 'show', 'new', 'edit', 'delete', 'bulkDelete', 'search'] as const;

export function canRun(resourceId: string, action: string) {
  return ({ currentAdmin }: Pick<ActionContext, 'currentAdmin'>): boolean => {
    const p = currentAdmin as Principal | undefined;
    return !!p && Array.isArray(p.permissions) && mayRun(p, resourceId, action);
  };
}

/** A picker shows at most this many records (AdminJS's search action, perPage). */
export const PICKER_LIMIT = 50;
export const pickerCutOff = (limit = PICKER_LIMIT) => `仅显示前 ${limit} 条，请输入更完整的名称缩小范围`;

/**
 * A picker (a reference field's dropdown) that filled its page was cut off: 「王」 stopped at 50
 * persons with no word that more existed. The last option then says so; it has no id, so
 * choosing it chooses nothing.
 */
async function pickerLimitHint(response: { records?: Array<Record<string, unknown>> }, request: { query?: Record<string, unknown> }) {
  const limit = Number(request.query?.perPage ?? PICKER_LIMIT) || PICKER_LIMIT;
  if ((response.records?.length ?? 0) >= limit) {
    response.records!.push({ id: '', title: pickerCutOff(limit), params: {}, populated: {}, errors: {}, baseError: null, recordActions: [], bulkActions: [] });
  }
  return response;
}

export interface ResourceSpec {
  policy: Policy;
  model: AnyModel;
  scoped?: ScopedResourceOptions;
  options: Omit<ResourceOptions, 'id'>;
}

type ActionSpec = Record<string, unknown> & { handler?: (...args: unknown[]) => Promise<unknown> };

/**
 * Columns that are the platform's bookkeeping, not something a reader searches by or a form
 * asks for: the row id (编号), the lost-update version (版本), the last change (更新时间) and
 * the jurisdiction's path (管辖路径, 机构路径, 层级). Issue 17 found them in filter drawers.
 */
export const INTERNAL_FIELDS = ['id', 'version', 'updated_at', 'org_path', 'from_path', 'to_path', 'path', 'depth'] as const;

type PropertyOptions = { isVisible?: boolean | Record<string, boolean> };
/** Would AdminJS offer this property as a filter when the resource names no filterProperties? */
const filterVisible = (o: PropertyOptions | undefined) =>
  o?.isVisible === undefined ? true : typeof o.isVisible === 'boolean' ? o.isVisible : !!o.isVisible.filter;

/** The filters of a resource that names none: AdminJS's default (every visible property) less the internal fields. */
function defaultFilters(spec: ResourceSpec, resource: ScopedResource): string[] | undefined {
  if (spec.options.filterProperties?.length) return spec.options.filterProperties;
  const properties = (spec.options.properties ?? {}) as Record<string, PropertyOptions>;
  // The scoped resource's properties: what the policy lets anyone read (no password hash).
  const names = [...new Set([...resource.properties().map((p) => p.path()), ...Object.keys(properties)])];
  return names.filter((n) => !(INTERNAL_FIELDS as readonly string[]).includes(n) && !n.includes('.') && filterVisible(properties[n]));
}

type After = (response: Record<string, unknown>, request: unknown, context: unknown) => Promise<Record<string, unknown>>;
function noticeOfResource(id: string, given: unknown): After {
  const hooks = (Array.isArray(given) ? given : given ? [given] : []) as After[];
  return async (response, request, context) => {
    let r = response;
    for (const hook of hooks) r = await hook(r, request, context);
    const notice = r?.notice as { resourceId?: string } | undefined;
    if (notice && !notice.resourceId) notice.resourceId = id;
    return r;
  };
}

export function defineResource(spec: ResourceSpec): ResourceWithOptions {
  const id = spec.policy.id;
  if (policyOf(id) !== spec.policy) throw new Error(`资源 ${id} 的访问策略未登记在 resources/policies.ts`);
  const resource = new ScopedResource(spec.model, id, spec.scoped);
  const given = (spec.options.actions ?? {}) as Record<string, ActionSpec>;
  const actions: Record<string, Record<string, unknown>> = {};
  for (const name of BUILT_IN) actions[name] = { ...given[name], isAccessible: canRun(id, name) };
  actions.search.after = pickerLimitHint;
  // The built-in actions' notices (successfullyCreated …) name the resource, so that its own wording in the
  // locale applies (年度学时要求: 已保存。…正在后台重算); AdminJS sends them without one, and the panel showed 新增成功.
  for (const name of ['new', 'edit', 'delete', 'bulkDelete'] as const) actions[name].after = noticeOfResource(id, given[name]?.after);
  // A reference to a record outside the reader's scope shows its name, not a link to a page it cannot open.
  actions.show.isVisible = ({ record }: ActionContext) => record?.params?.[REFERENCE_LINKABLE] !== false;
  // 导出 on every list: the list's filters and visible columns, through the list's own scope.
  if (exportableList(id) && !given.exportList) {
    const { handler, ...rest } = exportListAction(id);
    actions.exportList = { ...rest, handler: adminHandler(handler as (...args: unknown[]) => Promise<unknown>) };
  }
  for (const [name, a] of Object.entries(given)) {
    if ((BUILT_IN as readonly string[]).includes(name)) continue;
    actions[name] = { ...a, ...(a.handler ? { handler: adminHandler(a.handler) } : {}), isAccessible: canRun(id, name) };
  }
  return { resource, options: { ...spec.options, filterProperties: defaultFilters(spec, resource), id, actions } as ResourceOptions };
}
