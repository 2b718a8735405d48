/**
 * Admin management (manual 4.1.1.3): add an admin in the manual's three ways, set the super
 * admin, and hand roles to an admin. Every decision is one transaction and is audited.
 */
import { AppError, type ActionContext, type ActionRequest } from 'adminjs';
import { Op, QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { principalOf } from '../../src/admin/scoped-resource.js';
import type { Principal } from '../../src/access/principal.js';
import { assignRoles, rolesOfOrganisation } from '../../src/access/grants.js';
import { accountRefusals, assertMayActOnAccount, createAccounts, idNumbersTaken, refusalMessage } from '../../src/access/accounts.js';
import { platformPrincipal } from '../../src/access/context.js';
import { withinTransactionAs } from '../../src/access/wall.js';
import { scopeOf } from '../../src/access/scope.js';
import { AccessDenied } from '../../src/domain/errors.js';
import { hashPassword, passwordPolicyViolation } from '../../src/auth/passwords.js';
import { callerOf, checkCredentials, TooManyAttempts, TOO_MANY_ATTEMPTS } from '../../src/auth/credentials.js';
import { maskIdNumber, normaliseIdNumber, validateIdNumber } from '../../src/domain/identifiers.js';
import { audit } from '../../src/services/audit.js';
import { Components } from '../../src/admin/components/index.js';
import { arrayField, bodyOf, isPost, sequelizeOf, stringField } from '../../actions/request-data.js';
import { validateFields } from '../../hooks/validate-fields.js';


/** An admin seat reads as its person's name (the seat's own title is its id: 分配角色：15). */
async function withName(sequelize: Sequelize, record: NonNullable<ActionContext['record']>, currentAdmin: ActionContext['currentAdmin']) {
  const [row] = await sequelize.query<{ name: string }>('SELECT a.name FROM admins ad JOIN accounts a ON a.id = ad.account_id WHERE ad.id = :id',
    { replacements: { id: Number(record.id()) }, type: QueryTypes.SELECT });
  return { ...record.toJSON(currentAdmin), title: row?.name ?? String(record.id()) };
}

/** 设为超级管理员: the previous super admin loses the role in the same transaction. */
export const setSuperAdminAction = {
  actionType: 'record' as const,
  icon: 'Award',
  component: Components.ConfirmAction,
  custom: { confirm: '设为超级管理员后，原超级管理员的超级管理权限将被取消。确定继续吗？', reason: false, submit: '设为超级管理员' },
  isVisible: ({ record }: ActionContext) => !record?.params?.is_super,
  async handler(request: ActionRequest, _res: unknown, context: ActionContext) {
    const p = principalOf(context);
    const record = context.record!;
    const sequelize = sequelizeOf(context);
    if (!isPost(request)) return { record: await withName(sequelize, record, context.currentAdmin) };
    const adminId = Number(record.id());
    // The seats this office is handed over among: the admins policy's scope (the own organisation's).
    const seatsOf = scopeOf(p, 'admins', context.action.name).sql();
    await sequelize.transaction(async (transaction) => {
      const seats = await sequelize.query<{ id: number; is_super: boolean }>(
        `SELECT id, is_super FROM admins WHERE ${seatsOf} ORDER BY id FOR UPDATE`, { type: QueryTypes.SELECT, transaction },
      );
      const target = seats.find((s) => s.id === adminId);
      if (!target) throw new AppError('该管理员不属于本机构');
      if (target.is_super) throw new AppError('该管理员已是超级管理员');
      // Handing the office over is acting on the account: it must hold no role beyond this super admin.
      const [{ account_id: accountId }] = await sequelize.query<{ account_id: number }>('SELECT account_id FROM admins WHERE id = :adminId',
        { replacements: { adminId }, type: QueryTypes.SELECT, transaction });
      await assertMayActOnAccount(sequelize, accountId, transaction);
      const previous = seats.find((s) => s.is_super);
      await sequelize.query(`UPDATE admins SET is_super = false, updated_at = now() WHERE ${seatsOf} AND is_super`, { transaction });
      await sequelize.query(`UPDATE admins SET is_super = true, updated_at = now() WHERE id = :adminId AND ${seatsOf}`,
        { replacements: { adminId }, transaction });
      await audit({ actor: p, action: 'set_super_admin', resource: 'admins', recordId: adminId,
        before: { super_admin: previous?.id ?? null }, after: { super_admin: adminId } }, transaction);
    });
    return {
      record: record.toJSON(context.currentAdmin),
      notice: { message: '已设为超级管理员，原超级管理员的超级管理权限已取消', type: 'success' },
      redirectUrl: '/admin/resources/admins',
    };
  },
};

/** 分配角色: GET lists the organisation's roles; POST replaces the admin's roles. */
export const assignRolesAction = {
  actionType: 'record' as const,
  icon: 'Key',
  component: Components.AssignRoles,
  async handler(request: ActionRequest, _res: unknown, context: ActionContext) {
    const p = principalOf(context);
    const record = context.record!;
    const sequelize = sequelizeOf(context);
    const adminId = Number(record.id());
    if (!isPost(request)) {
      const roles = await rolesOfOrganisation(sequelize, p);
      const assigned = (await sequelize.query<{ role_id: number }>('SELECT role_id FROM admin_roles WHERE admin_id = :adminId',
        { replacements: { adminId }, type: QueryTypes.SELECT })).map((r) => r.role_id);
      return { record: await withName(sequelize, record, context.currentAdmin), roles: roles.map(({ id, name, grantable }) => ({ id, name, grantable })), assigned };
    }
    if (record.params.is_super) throw new AppError('超级管理员拥有全部权限，无需分配角色');
    const roleIds = [...new Set(arrayField(bodyOf(request), 'roleIds').map(Number).filter(Number.isInteger))];
    try {
      await sequelize.transaction(async (transaction) => {
        const change = await assignRoles(sequelize, p, adminId, roleIds, transaction);
        await audit({ actor: p, action: 'assign_roles', resource: 'admins', recordId: adminId, before: { roles: change.before }, after: { roles: change.after } }, transaction);
      });
    } catch (e) {
      await audit({ actor: p, action: 'assign_roles', resource: 'admins', recordId: adminId, outcome: 'refused', after: { roles: roleIds }, reason: (e as Error).message ?? null });
      throw e;
    }
    return { record: record.toJSON(context.currentAdmin), notice: { message: '角色已保存', type: 'success' } };
  },
};

type Mode = 'pick' | 'register' | 'attach';
type FieldErrors = Record<string, string>;

async function departmentsOf(sequelize: Sequelize, p: Principal, transaction?: Transaction) {
  return sequelize.query<{ id: number; name: string }>(
    "SELECT id, name FROM organisations WHERE parent_id = :org AND kind = 'department' AND status = 'active' ORDER BY name",
    { replacements: { org: p.organisationId }, type: QueryTypes.SELECT, transaction },
  );
}

/**
 * Registered persons of this organisation (or its departments) who are not admins yet: read
 * through the persons policy (an admin who may not list persons is offered none), and only
 * those whose account this admin has authority over.
 */
async function candidatesOf(sequelize: Sequelize, p: Principal, transaction?: Transaction) {
  let persons: Array<{ account_id: number; name: string; id_number: string }>;
  try {
    persons = await sequelize.model('Person').findAll({
      where: { [Op.and]: [scopeOf(p, 'persons', 'list').where, { status: 'active', account_id: { [Op.ne]: null } },
        { unit_id: { [Op.in]: sequelize.literal(`(SELECT id FROM organisations WHERE id = ${Number(p.organisationId)} OR (parent_id = ${Number(p.organisationId)} AND kind = 'department'))`) } },
        sequelize.literal('NOT EXISTS (SELECT 1 FROM admins ad WHERE ad.account_id = "Person"."account_id")'),
        sequelize.literal(`EXISTS (SELECT 1 FROM accounts a WHERE a.id = "Person"."account_id" AND a.status = 'active')`)] },
      attributes: ['account_id', 'name', 'id_number'], order: [['name', 'ASC'], ['id', 'ASC']], limit: 500, raw: true, transaction,
    }) as unknown as typeof persons;
  } catch (e) {
    if (e instanceof AccessDenied) return [];
    throw e;
  }
  const refused = await accountRefusals(sequelize, persons.map((x) => x.account_id), transaction);
  return persons.filter((x) => !refused.has(x.account_id));
}

/**
 * 新增管理员, a wizard of three steps (basic info → permission confirmation → done):
 *  pick     选择成为管理员（已是本部门人员）: a registered person of this organisation;
 *  register 注册成为管理员（非本系统用户）: a new account, ID number not registered yet;
 *  attach   添加成为管理员（已是本系统用户）: an existing account, after checking its password.
 * POST with `dryRun` validates step 1 only; the final POST also assigns the chosen roles.
 */
export const addAdminAction = {
  actionType: 'resource' as const,
  icon: 'UserPlus',
  component: Components.AddAdminWizard,
  async handler(request: ActionRequest, _res: unknown, context: ActionContext) {
    const p = principalOf(context);
    const sequelize = sequelizeOf(context);
    if (!isPost(request)) {
      const [departments, candidates, roles] = await Promise.all([
        departmentsOf(sequelize, p), candidatesOf(sequelize, p), rolesOfOrganisation(sequelize, p),
      ]);
      return {
        departments,
        candidates: candidates.map((c) => ({ accountId: c.account_id, label: `${c.name}（${maskIdNumber(c.id_number)}）` })),
        roles: roles.map(({ id, name, grantable }) => ({ id, name, grantable })),
      };
    }
    const body = bodyOf(request);
    const mode = stringField(body, 'mode') as Mode;
    const dryRun = body.dryRun === true || body.dryRun === 'true';
    const errors: FieldErrors = {};
    const departmentId = stringField(body, 'departmentId') ? Number(stringField(body, 'departmentId')) : null;

    // 添加成为管理员: the password goes through the login's credential check, outside the
    // transaction (lockout and the caller's per-address budget count whatever happens next).
    const attach = mode === 'attach' && validateIdNumber(normaliseIdNumber(stringField(body, 'idNumber', 18))).ok
      ? await checkCredentials(sequelize, { idNumber: normaliseIdNumber(stringField(body, 'idNumber', 18)) }, stringField(body, 'password', 64), callerOf(request))
      : undefined;
    if (attach && !attach.ok && attach.reason === 'rate_limited') throw new TooManyAttempts(TOO_MANY_ATTEMPTS);
    const result = await sequelize.transaction(async (transaction) => {
      const departments = await departmentsOf(sequelize, p, transaction);
      if (departmentId !== null && !departments.some((d) => d.id === departmentId)) errors.departmentId = '请选择本机构的工作部门';
      let accountId: number | null = null;
      let name = '';
      let idNumber = '';
      if (mode === 'pick') {
        const chosen = Number(stringField(body, 'accountId'));
        const candidate = (await candidatesOf(sequelize, p, transaction)).find((c) => c.account_id === chosen);
        if (!candidate) errors.accountId = '请选择本机构已注册、且尚不是管理员的人员';
        else ({ account_id: accountId, name, id_number: idNumber } = candidate);
      } else if (mode === 'register' || mode === 'attach') {
        idNumber = normaliseIdNumber(stringField(body, 'idNumber', 18));
        const check = validateIdNumber(idNumber);
        if (!check.ok) errors.idNumber = check.message;
        const password = stringField(body, 'password', 64);
        // The account of that ID number anywhere (it may lie outside what this admin can see),
        // read as the platform (its name, whether it is an admin already) once its password was right.
        const taken = check.ok ? (await idNumbersTaken(sequelize, [idNumber], transaction)).get(idNumber) : undefined;
        const [existing] = taken?.accountId ? await withinTransactionAs(sequelize, transaction, platformPrincipal('核对账号'), () => sequelize.query<{ id: number; name: string; is_admin: boolean }>(
          'SELECT a.id, a.name, EXISTS (SELECT 1 FROM admins ad WHERE ad.account_id = a.id) is_admin FROM accounts a WHERE a.id = :id',
          { replacements: { id: taken.accountId }, type: QueryTypes.SELECT, transaction })) : [];
        if (mode === 'register') {
          if (check.ok && taken) errors.idNumber = '该身份证号已在系统中注册，请使用“添加成为管理员（已是本系统用户）”';
          const violation = passwordPolicyViolation(password, idNumber);
          if (violation) errors.password = violation;
          else if (password !== stringField(body, 'confirm', 64)) errors.confirm = '两次输入的密码不一致';
          name = stringField(body, 'name', 50);
          if (!name) errors.name = '此项为必填项';
          try {
            validateFields({ mobile: stringField(body, 'mobile', 20), email: stringField(body, 'email', 254) }, ['mobile', 'email']);
          } catch (e) {
            for (const [k, v] of Object.entries((e as { fieldErrors?: Record<string, { message: string }> }).fieldErrors ?? {})) errors[k] = v.message;
          }
        } else {
          // The same answer for an unknown ID and a wrong password (the credential check counted it
          // against the account and the caller); once the password is right, the account must be
          // one this admin has authority over, every role of it.
          if (check.ok && (!existing || !attach?.ok || attach.account.id !== existing.id)) errors.password = '身份证号或密码不正确';
          else if (existing?.is_admin) errors.idNumber = '该用户已是管理员';
          else if (existing) {
            const why = (await accountRefusals(sequelize, [existing.id], transaction)).get(existing.id);
            if (why) errors.idNumber = refusalMessage(why);
          }
          if (existing) ({ id: accountId, name } = existing);
        }
      } else {
        errors.mode = '请选择添加方式';
      }
      if (Object.keys(errors).length || dryRun) return { accountId, name, idNumber };

      if (mode === 'register') {
        [accountId] = await createAccounts(sequelize, [{
          idNumber, name, passwordHash: await hashPassword(stringField(body, 'password', 64)),
          mobile: stringField(body, 'mobile', 20) || null, email: stringField(body, 'email', 254) || null, mustChange: false,
          phone: stringField(body, 'phone', 30) || null,
        }], transaction);
      }
      const [[seat]] = await sequelize.query(
        'INSERT INTO admins (account_id, organisation_id, org_path, department_id) VALUES (:accountId, :org, :path, :departmentId) RETURNING id',
        { replacements: { accountId, org: p.organisationId, path: p.orgPath, departmentId }, transaction },
      ) as unknown as [[{ id: number }]];
      const roleIds = [...new Set(arrayField(body, 'roleIds').map(Number).filter(Number.isInteger))];
      await assignRoles(sequelize, p, seat.id, roleIds, transaction);
      await audit({ actor: p, action: 'add_admin', resource: 'admins', recordId: seat.id, after: { mode, account_id: accountId, department_id: departmentId, roles: roleIds } }, transaction);
      return { accountId, name, idNumber, adminId: seat.id };
    });

    if (Object.keys(errors).length) {
      await audit({ actor: p, action: 'add_admin', resource: 'admins', outcome: 'refused', after: { mode, idNumber: result.idNumber ? maskIdNumber(result.idNumber) : null }, reason: Object.values(errors).join('；') });
      return { errors, notice: { message: '信息有误，请检查后重新提交', type: 'error' } };
    }
    if (dryRun) return { summary: { name: result.name, idNumber: maskIdNumber(result.idNumber) } };
    return { adminId: (result as { adminId: number }).adminId, notice: { message: `已新增管理员：${result.name}`, type: 'success' } };
  },
};
