/**
 * The one function that turns an ability into SQL: the rules for (action, resource) become a
 * Sequelize `where`. null means "no row at all" — callers refuse. Unknown operators throw,
 * so a rule that cannot be expressed never silently widens access.
 */
import { Op, type WhereOptions } from 'sequelize';
import { rulesToAST } from '@casl/ability/extra';
import type { AppAbility } from './ability.js';

interface Node { operator: string; field?: string; value: unknown }

function toWhere(node: Node): WhereOptions {
  const { operator, field, value } = node;
  switch (operator) {
    case 'and': {
      const parts = (value as Node[]).map(toWhere);
      return parts.length === 1 ? parts[0] : { [Op.and]: parts };
    }
    case 'or': return { [Op.or]: (value as Node[]).map(toWhere) };
    case 'not': return { [Op.not]: { [Op.and]: (value as Node[]).map(toWhere) } };
    case 'eq': return { [field!]: value === null ? { [Op.is]: null } : { [Op.eq]: value } };
    case 'ne': return { [field!]: value === null ? { [Op.not]: null } : { [Op.ne]: value } };
    case 'in': return { [field!]: { [Op.in]: value as unknown[] } };
    case 'nin': return { [field!]: { [Op.notIn]: value as unknown[] } };
    case 'lt': return { [field!]: { [Op.lt]: value } };
    case 'lte': return { [field!]: { [Op.lte]: value } };
    case 'gt': return { [field!]: { [Op.gt]: value } };
    case 'gte': return { [field!]: { [Op.gte]: value } };
    // Paths are digits and slashes only ($startsWith validates), so LIKE needs no escaping.
    case 'startsWith': return { [field!]: { [Op.like]: `${value as string}%` } };
    default: throw new Error(`无法转换为SQL的访问条件：${operator}`);
  }
}

export function accessibleWhere(ability: AppAbility, action: string, resourceId: string): WhereOptions | null {
  const ast = rulesToAST(ability, action, resourceId) as Node | null;
  if (!ast) return null;
  if (ast.operator === 'and' && (ast.value as Node[]).length === 0) return {};
  return toWhere(ast);
}
