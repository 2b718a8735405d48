/**
 * One CASL ability per principal, built from the registry of policies (resources/policies.ts)
 * and the principal's permissions (the union of its roles, or everything its office holds for
 * a super admin). Each rule is the policy's row scope for the action; the policy's fixed view
 * predicate (a review list's statuses) is added by the scope function (scope.ts).
 *
 * Abilities are cached by what they are built from (kind, organisation, path, person, super,
 * permissions): the login gate reloads the principal on every request, and rebuilding the
 * rules of 35 policies each time cost ~0.6 ms a request.
 */
import { AbilityBuilder, buildMongoQueryMatcher, createMongoAbility, type MongoAbility } from '@casl/ability';
import type { Principal } from './principal.js';
import { holds } from './policy.js';
import { policies } from '../../resources/policies.js';

/** `{ field: { $startsWith: '/1/5/' } }`: the jurisdiction predicate, in memory and in SQL. */
const $startsWith = {
  type: 'field',
  validate(_: unknown, value: unknown) {
    if (typeof value !== 'string' || !/^(\/[0-9]+)+\/$|^\/$/.test(value)) throw new Error('$startsWith 需要机构路径');
  },
};
const startsWith = (node: { field: string; value: string }, object: unknown, { get }: { get: (o: unknown, f: string) => unknown }) => {
  const v = get(object, node.field);
  return typeof v === 'string' && v.startsWith(node.value);
};
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const conditionsMatcher = buildMongoQueryMatcher({ $startsWith } as any, { startsWith } as any);

export type AppAbility = MongoAbility;

const viewAbilities = new Map<string, AppAbility>();
/** The policy's view predicate alone, as an ability of one rule (`view` on the entity). */
export function viewAbilityOf(entity: string, view: Record<string, unknown>): AppAbility {
  let a = viewAbilities.get(entity);
  if (!a) {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    a = createMongoAbility([{ action: 'view', subject: entity, conditions: view }] as any, { conditionsMatcher } as any) as unknown as AppAbility;
    viewAbilities.set(entity, a);
  }
  return a;
}

const CACHE_SIZE = 2_000;
const cache = new Map<string, AppAbility>();

function signature(p: Principal): string {
  return [p.kind, p.organisationId, p.orgPath, p.orgDepth, p.personId ?? '', p.accountId, p.isSuper ? 1 : 0, p.permissions.join(',')].join('|');
}

/**
 * The ability of each principal object, so a request asks for it once: AdminJS checks every
 * record action of every record of a page (20 records × their actions), and building the
 * signature (a super admin's ~200 permission codes joined) each time was 12 % of a web
 * process's CPU under 50 busy sessions (issue 16 item 2, --cpu-prof). A principal is loaded
 * afresh per request and never changed after, so the object stands for its signature.
 */
const byPrincipal = new WeakMap<Principal, AppAbility>();

export function abilityFor(p: Principal): AppAbility {
  const known = byPrincipal.get(p);
  if (known) return known;
  const ability = abilityOfSignature(p);
  byPrincipal.set(p, ability);
  return ability;
}

function abilityOfSignature(p: Principal): AppAbility {
  const key = signature(p);
  const cached = cache.get(key);
  if (cached) return cached;
  const { can, build } = new AbilityBuilder<AppAbility>(createMongoAbility);
  for (const policy of policies) {
    for (const [action, req] of Object.entries(policy.actions)) {
      if (!holds(p, req)) continue;
      const fields = action === 'new' ? policy.writable.new : action === 'edit' ? policy.writable.edit : policy.readable;
      for (const cond of policy.scope(p, action)) {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        can(action, policy.id, fields ?? [], cond as any);
      }
    }
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const ability = build({ conditionsMatcher } as any);
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(key, ability);
  return ability;
}
