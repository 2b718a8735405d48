/**
 * One CASL ability per principal, built from the access rules that every resource module
 * declares beside its AdminJS options (resources/<entity>/access.ts) and the principal's
 * permissions (the union of its roles, or everything its office holds for a super admin).
 * Each rule is intersected with the principal's jurisdiction by the resource's `scope`.
 */
import { AbilityBuilder, buildMongoQueryMatcher, createMongoAbility, type MongoAbility } from '@casl/ability';
import type { Principal } from './principal.js';

export type Conditions = Record<string, unknown>;
/** Who may run an action: a permission code, any of several, or a predicate on the principal. */
export type Requirement = string | string[] | ((p: Principal) => boolean);

export interface ResourceAccess {
  /** AdminJS action name → what the principal must hold to run it. */
  actions: Record<string, Requirement>;
  /** Rows the principal may touch (OR of the returned conditions); [] = none. */
  scope(p: Principal, action: string): Conditions[];
  /** Fields sent to the client; anything else never leaves the server. */
  readable: string[];
  /** Fields accepted from the client by `new` and `edit` (server-side hooks set the rest). */
  writable: { new?: string[]; edit?: string[] };
}

const registry = new Map<string, ResourceAccess>();

export function registerAccess(resourceId: string, access: ResourceAccess): void {
  registry.set(resourceId, access);
}
export function accessOf(resourceId: string): ResourceAccess {
  const a = registry.get(resourceId);
  if (!a) throw new Error(`资源 ${resourceId} 未声明访问规则`);
  return a;
}
export function registeredResources(): string[] {
  return [...registry.keys()];
}

export function holds(p: Principal, req: Requirement): boolean {
  if (typeof req === 'function') return req(p);
  const codes = Array.isArray(req) ? req : [req];
  return codes.some((c) => p.permissions.includes(c));
}

/** `{ field: { $startsWith: '/1/5/' } }`: the jurisdiction predicate, in memory and in SQL. */
const $startsWith = {
  type: 'field',
  validate(_: unknown, value: unknown) {
    if (typeof value !== 'string' || !/^(\/[0-9]+)+\/$/.test(value)) throw new Error('$startsWith 需要机构路径');
  },
};
const startsWith = (node: { field: string; value: string }, object: unknown, { get }: { get: (o: unknown, f: string) => unknown }) => {
  const v = get(object, node.field);
  return typeof v === 'string' && v.startsWith(node.value);
};
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const conditionsMatcher = buildMongoQueryMatcher({ $startsWith } as any, { startsWith } as any);

export type AppAbility = MongoAbility;

const cache = new WeakMap<Principal, AppAbility>();

export function abilityFor(p: Principal): AppAbility {
  const cached = cache.get(p);
  if (cached) return cached;
  const { can, build } = new AbilityBuilder<AppAbility>(createMongoAbility);
  for (const [resourceId, access] of registry) {
    for (const [action, req] of Object.entries(access.actions)) {
      if (!holds(p, req)) continue;
      const fields = action === 'new' ? access.writable.new : action === 'edit' ? access.writable.edit : access.readable;
      for (const cond of access.scope(p, action)) {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        can(action, resourceId, fields ?? [], cond as any);
      }
    }
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const ability = build({ conditionsMatcher } as any);
  cache.set(p, ability);
  return ability;
}
