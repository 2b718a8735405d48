/**
 * Declares one AdminJS resource: its access rules go to the registry the abilities are built
 * from, its records go through a ScopedResource, and every built-in action is accessible
 * exactly when the principal's ability allows it. Resource modules call this and nothing
 * else to exist in the panel.
 */
import type { ActionContext, ResourceOptions, ResourceWithOptions } from 'adminjs';
import { abilityFor, registerAccess, type ResourceAccess } from '../access/ability.js';
import type { Principal } from '../access/principal.js';
import { REFERENCE_LINKABLE, ScopedResource, type ScopedResourceOptions } from '../access/scoped-resource.js';
import type { AnyModel } from '../db/models.js';

const BUILT_IN = ['list', 'show', 'new', 'edit', 'delete', 'bulkDelete', 'search'] as const;

export function canRun(resourceId: string, action: string) {
  return ({ currentAdmin }: Pick<ActionContext, 'currentAdmin'>): boolean => {
    const p = currentAdmin as Principal | undefined;
    return !!p && Array.isArray(p.permissions) && abilityFor(p).can(action, resourceId);
  };
}

export interface ResourceSpec {
  id: string;
  model: AnyModel;
  access: ResourceAccess;
  scoped?: ScopedResourceOptions;
  options: Omit<ResourceOptions, 'id'>;
}

export function defineResource(spec: ResourceSpec): ResourceWithOptions {
  registerAccess(spec.id, spec.access);
  const resource = new ScopedResource(spec.model, spec.id, spec.scoped);
  const given = (spec.options.actions ?? {}) as Record<string, Record<string, unknown>>;
  const actions: Record<string, Record<string, unknown>> = {};
  for (const name of BUILT_IN) actions[name] = { ...given[name], isAccessible: canRun(spec.id, name) };
  // A reference to a record outside the reader's scope shows its name, not a link to a page it cannot open.
  actions.show.isVisible = ({ record }: ActionContext) => record?.params?.[REFERENCE_LINKABLE] !== false;
  for (const [name, a] of Object.entries(given)) {
    if (!(BUILT_IN as readonly string[]).includes(name)) actions[name] = { ...a, isAccessible: canRun(spec.id, name) };
  }
  return { resource, options: { ...spec.options, id: spec.id, actions } as ResourceOptions };
}
