/**
 * What a policy is: the access rules of one entity (a table, or a view of it such as a review
 * list), as a plain module beside its resource (resources/<entity>/policy.ts) that imports
 * neither AdminJS nor React. The registry of them all is resources/policies.ts; abilities are
 * built from it (ability.ts) and turned into SQL by the one scope function (scope.ts).
 */
import type { Principal } from './principal.js';

/** CASL/Mongo-style conditions on a row: `{ org_path: { $startsWith: '/1/5/' } }`, `{ status: { $in: [...] } }`. */
export type Conditions = Record<string, unknown>;

/** Who may run an action: a permission code, any of several, or a predicate on the principal. */
export type Requirement = string | string[] | ((p: Principal) => boolean);

/** Personal data (ID numbers, mobiles): shown whole only to whom `fullOn` allows, masked elsewhere. */
export interface PersonalDataFields {
  /** Fields holding ID numbers. */
  fields: string[];
  mobiles?: string[];
  /** Who may see them whole (on a detail view, or in an export). */
  fullOn: Requirement;
}

export interface Policy {
  /** The entity: the panel's resource id, the audit log's `resource`. */
  id: string;
  /** The table or view its rows live in (the database's row-level security applies to it as well). */
  table: string;
  /** Action name → what the principal must hold to run it. */
  actions: Record<string, Requirement>;
  /** Rows the principal may touch with `action` (OR of the returned conditions); [] = none. */
  scope(p: Principal, action: string): Conditions[];
  /** A fixed predicate of this view of the table (a review list shows only reviewable statuses). */
  view?: Conditions;
  /** Fields sent to the client; anything else never leaves the server. */
  readable: string[];
  /** Fields accepted from the client by `new` and `edit` (server-side code sets the rest). */
  writable: { new?: string[]; edit?: string[] };
  /** Personal data among the readable fields. */
  personalData?: PersonalDataFields;
}

export function holds(p: Principal, req: Requirement): boolean {
  if (typeof req === 'function') return req(p);
  const codes = Array.isArray(req) ? req : [req];
  return codes.some((c) => p.permissions.includes(c));
}

/** The six decision actions of a review list (approve / reject: one, the selected, everything filtered). */
export const DECISION_ACTIONS = ['approve', 'reject', 'bulkApprove', 'bulkReject', 'approveAll', 'rejectAll'] as const;

/** The access entries of the six decision actions, all needing the same requirement. */
export function decisionAccess(req: Requirement): Record<string, Requirement> {
  return Object.fromEntries(DECISION_ACTIONS.map((a) => [a, req]));
}
