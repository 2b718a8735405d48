/**
 * The one scope function: `scopeOf(principal, entity, action)` is how any code — the panel's
 * scoped resource, services, workflows, reports, imports, exports, certificates, jobs, the
 * integration API — learns which rows of a jurisdiction-scoped table it may read or write, and
 * which fields. Nothing else builds a jurisdiction condition (the database checks the same
 * jurisdiction again with row-level security: migration 009).
 *
 *   policy (resources/<entity>/policy.ts) → ability (ability.ts) → scope (here) → SQL
 */
import { subject } from '@casl/ability';
import type { WhereOptions } from 'sequelize';
import { AccessDenied } from '../domain/errors.js';
import { abilityFor, viewAbilityOf } from './ability.js';
import { holds, type Policy } from './policy.js';
import type { Principal } from './principal.js';
import { accessAst, astToSql, astToWhere, type Node } from './to-sql.js';
import { policyOf } from '../../resources/policies.js';

export const FORBIDDEN = '无权访问该记录，或该记录不在您的管辖范围内';

export interface Scope {
  entity: string;
  action: string;
  policy: Policy;
  /** The rows `action` may reach, as a Sequelize condition on the policy's table. */
  where: WhereOptions;
  /** The same condition as SQL text, its columns qualified with `alias` when given. */
  sql(alias?: string): string;
  /** Fields the principal may read (for `new`/`edit`: may write). */
  fields: string[];
}

/** Whether the principal may run `action` on `entity` at all (on some row). */
export function mayRun(p: Principal, entity: string, action: string): boolean {
  return abilityFor(p).can(action, entity);
}

/**
 * The scope of `action` on `entity` for `p`: the policy's row rules for the principal, and its
 * view predicate unless `{ view: false }` (certificates look for incomplete years too, to say
 * why they cannot be issued). AccessDenied when the principal may not run the action on any
 * row (a missing permission, or no jurisdiction: a person on an HR list).
 */
export function scopeOf(p: Principal, entity: string, action: string, opts: { view?: boolean } = {}): Scope {
  const policy = policyOf(entity);
  const rules = accessAst(abilityFor(p), action, entity);
  if (!rules) throw new AccessDenied(FORBIDDEN);
  const view = policy.view && opts.view !== false ? accessAst(viewAbilityOf(entity, policy.view), 'view', entity) : null;
  const ast: Node = view ? { operator: 'and', value: [rules, view] } : rules;
  const fields = action === 'new' ? policy.writable.new ?? [] : action === 'edit' ? policy.writable.edit ?? [] : policy.readable;
  return { entity, action, policy, where: astToWhere(ast), sql: (alias?: string) => astToSql(ast, alias), fields };
}

/** Whether a row (as it is, or as it is about to be written) lies inside the scope of `action`, view included. */
export function allows(p: Principal, entity: string, action: string, row: Record<string, unknown>): boolean {
  const policy = policyOf(entity);
  if (!abilityFor(p).can(action, subject(entity, { ...row }))) return false;
  return !policy.view || viewAbilityOf(entity, policy.view).can('view', subject(entity, { ...row }));
}

/** Whether the principal holds what `action` of `entity` requires, whatever the row. */
export function holdsAction(p: Principal, entity: string, action: string): boolean {
  const req = policyOf(entity).actions[action];
  return req !== undefined && holds(p, req);
}
