/**
 * The logged-in user as the access layer sees it (当前用户), always resolved from server-side
 * ids: the account, its admin seat or person record, its organisation's path, the union of
 * its roles. Stored on the session as AdminJS's `currentAdmin` and refreshed every request.
 */
import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { superAdminPermissions, type OrganisationKind } from '../../config/permissions.js';

/** 'system': the platform itself or an organisation's office acting without a person (src/access/context.ts). */
export type UserKind = 'province_hr' | 'city_hr' | 'county_hr' | 'unit' | 'ce_base' | 'person' | 'system';
/** The login page's user types (用户类型). */
export type LoginType = 'hr_admin' | 'unit_admin' | 'ce_base_admin' | 'person';

export interface Principal {
  /** AdminJS shows `email` (and its first letter as the avatar) in the top bar: the name. */
  email: string;
  /** The login ID (身份证号). */
  idNumber: string;
  title: string;
  accountId: number;
  name: string;
  kind: UserKind;
  organisationId: number;
  organisationName: string;
  orgPath: string;
  orgDepth: number;
  adminId: number | null;
  personId: number | null;
  isSuper: boolean;
  permissions: string[];
  mustChangePassword: boolean;
  /** Epoch ms of the account's last password change, to end older sessions. */
  passwordChangedAt: number;
}

const loginTypeKinds: Record<LoginType, UserKind[]> = {
  hr_admin: ['province_hr', 'city_hr', 'county_hr'],
  unit_admin: ['unit'],
  ce_base_admin: ['ce_base'],
  person: ['person'],
};

export function kindMatchesLoginType(kind: UserKind, type: LoginType): boolean {
  return loginTypeKinds[type].includes(kind);
}

interface Row {
  account_id: number; id_number: string; name: string; status: string; must_change_password: boolean;
  password_changed_at: Date; admin_id: number | null; is_super: boolean | null; org_id: number; org_name: string;
  org_kind: OrganisationKind; org_path: string; org_depth: number; org_status: string; person_id: number | null;
  /** The permission codes of the admin's roles (one query with the rest: this runs on every request). */
  granted?: string[];
}

/**
 * Resolves the principal of an account in the role it logs in as: an admin seat (HR, unit,
 * CE base) or a professional person. Returns null if the account has no such role or it is
 * not active.
 */
export async function loadPrincipal(
  sequelize: Sequelize, accountId: number, as: 'admin' | 'person', transaction?: Transaction,
): Promise<Principal | null> {
  // One round trip: it runs on every request.
  const rows = await sequelize.query<Row>(as === 'admin'
    ? `SELECT a.id account_id, a.id_number, a.name, a.status, a.must_change_password, a.password_changed_at,
              ad.id admin_id, ad.is_super, o.id org_id, o.name org_name, o.kind org_kind, o.path org_path,
              o.depth org_depth, o.status org_status, NULL::int person_id,
              ARRAY(SELECT DISTINCT rp.permission_code FROM admin_roles ar JOIN role_permissions rp ON rp.role_id = ar.role_id
                     WHERE ar.admin_id = ad.id) granted
         FROM accounts a JOIN admins ad ON ad.account_id = a.id JOIN organisations o ON o.id = ad.organisation_id
        WHERE a.id = :accountId`
    : `SELECT a.id account_id, a.id_number, a.name, a.status, a.must_change_password, a.password_changed_at,
              NULL::int admin_id, NULL::boolean is_super, o.id org_id, o.name org_name, 'person' org_kind,
              p.org_path, o.depth org_depth, p.status org_status, p.id person_id
         FROM accounts a JOIN persons p ON p.account_id = a.id JOIN organisations o ON o.id = p.unit_id
        WHERE a.id = :accountId`,
  { replacements: { accountId }, type: QueryTypes.SELECT, transaction });
  const r = rows[0];
  if (!r || r.status !== 'active' || r.org_status !== 'active') return null;
  const kind = r.org_kind as UserKind;
  if ((kind as string) === 'department') return null;
  let permissions: string[] = [];
  if (r.admin_id !== null) {
    const own = r.is_super ? superAdminPermissions(kind as OrganisationKind) : [];
    permissions = [...new Set([...own, ...(r.granted ?? [])])].sort();
  }
  return {
    email: r.name,
    idNumber: r.id_number,
    title: r.org_name,
    accountId: r.account_id,
    name: r.name,
    kind,
    organisationId: r.org_id,
    organisationName: r.org_name,
    orgPath: r.org_path,
    orgDepth: r.org_depth,
    adminId: r.admin_id,
    personId: r.person_id,
    isSuper: !!r.is_super,
    permissions,
    mustChangePassword: r.must_change_password,
    passwordChangedAt: new Date(r.password_changed_at).getTime(),
  };
}

/**
 * The office of an organisation as a principal (a scheduled export's, a job's without a
 * requesting admin): its kind, path and everything its super admin holds, minus `withhold`
 * (a scheduled file is downloadable by every export viewer, so it never carries whole ID
 * numbers). Built like a login's principal, from the organisation's row; null when the
 * organisation is missing or not active.
 */
export async function officePrincipal(
  sequelize: Sequelize, organisationId: number, purpose: string, withhold: string[] = [], transaction?: Transaction,
): Promise<Principal | null> {
  const [org] = await sequelize.query<{ id: number; name: string; kind: OrganisationKind; path: string; depth: number; status: string }>(
    'SELECT id, name, kind, path, depth, status FROM organisations WHERE id = :id',
    { replacements: { id: organisationId }, type: QueryTypes.SELECT, transaction });
  if (!org || org.status !== 'active' || org.kind === 'department') return null;
  return {
    email: `${org.name}（${purpose}）`, idNumber: '', title: org.name, accountId: 0, name: purpose,
    kind: org.kind as UserKind, organisationId: org.id, organisationName: org.name, orgPath: org.path, orgDepth: org.depth,
    adminId: null, personId: null, isSuper: false, mustChangePassword: false, passwordChangedAt: 0,
    permissions: superAdminPermissions(org.kind).filter((c) => !withhold.includes(c)),
  };
}
