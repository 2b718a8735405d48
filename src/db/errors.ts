/** PostgreSQL constraint violations as messages a user can act on (in Chinese). */
import { DatabaseError, ForeignKeyConstraintError, UniqueConstraintError } from 'sequelize';
import { TRANSFER_OPEN } from '../domain/messages.js';

/** Unique indexes whose violation means a conflict a user understands (the rest: the generic message). */
const constraintMessages: Record<string, string> = {
  transfers_one_open_per_person: TRANSFER_OPEN,
};

/**
 * The message of an error that is a conflict between requests — a unique violation (two requests
 * racing for the same fact), a serialization failure or a deadlock — or undefined.
 */
export function conflictMessage(e: unknown): string | undefined {
  if (e instanceof UniqueConstraintError) {
    const constraint = (e.original as { constraint?: string } | undefined)?.constraint ?? '';
    return constraintMessages[constraint] ?? translateDatabaseError(e) ?? '记录重复：已存在相同的数据';
  }
  const code = e instanceof DatabaseError ? (e.original as { code?: string } | undefined)?.code : undefined;
  if (code === '40001' || code === '40P01' || code === '55P03') return '操作与他人同时进行而发生冲突，未执行，请重试';
  return undefined;
}

const uniqueMessages: Record<string, string> = {
  id_number: '该证件号（身份证号）已被登记',
  credit_code: '该统一社会信用代码已被使用',
  name: '名称已存在',
  number: '编号已存在',
  code: '编码已存在',
};

export function translateDatabaseError(e: unknown, path?: string): string | undefined {
  if (e instanceof UniqueConstraintError) {
    const field = path ?? e.errors?.[0]?.path ?? '';
    return uniqueMessages[field] ?? '记录重复：已存在相同的数据';
  }
  if (e instanceof ForeignKeyConstraintError) {
    return '该记录仍被其他数据引用（或引用的数据不存在），操作未执行';
  }
  if (e instanceof DatabaseError) {
    const code = (e.original as { code?: string } | undefined)?.code;
    if (code === '23514') return '数据不符合规则（例如状态、格式或取值范围），操作未执行';
    if (code === '23502') return '缺少必填项，操作未执行';
    if (code === '22001') return '填写的内容过长';
    if (code === '22P02' || code === '22007' || code === '22008') return '填写的数据格式不正确';
  }
  return undefined;
}
