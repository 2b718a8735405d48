/**
 * What makes a learning form's definition valid (学习形式配置), checked whenever the provincial
 * admin edits the catalog: its subject types, its fields (one of its dates decides the year) and
 * its conversion into hours (one field, or two: level × rank) must fit together, or the change is
 * refused with a message saying what is wrong.
 */
import type { Conversion, LearningFormField } from '../../config/learning-forms.js';

const FIELD_TYPES = ['text', 'date', 'number', 'select', 'file'];

export function checkSubjectTypes(v: unknown): string | undefined {
  if (!Array.isArray(v) || v.length === 0 || v.some((x) => x !== 'public' && x !== 'professional') || new Set(v).size !== v.length) {
    return '适用科目应为 ["public"]、["professional"] 或两者';
  }
  return undefined;
}

export function checkFields(v: unknown): string | undefined {
  if (!Array.isArray(v) || v.length === 0) return '录入项应为非空数组';
  const keys = new Set<string>();
  for (const [i, f] of (v as LearningFormField[]).entries()) {
    const at = `第 ${i + 1} 个录入项`;
    if (!f || typeof f !== 'object') return `${at}格式不正确`;
    if (typeof f.key !== 'string' || !/^[a-z_]{1,40}$/.test(f.key)) return `${at}的 key 只能由小写字母和下划线组成`;
    if (keys.has(f.key)) return `录入项 key「${f.key}」重复`;
    keys.add(f.key);
    if (typeof f.label !== 'string' || !f.label.trim() || f.label.length > 40) return `${at}的名称（label）不能为空且不超过40字`;
    if (!FIELD_TYPES.includes(f.type)) return `${at}的类型应为 ${FIELD_TYPES.join('、')} 之一`;
    if (typeof f.required !== 'boolean') return `${at}须说明是否必填（required: true/false）`;
    if (f.type === 'select' && (!Array.isArray(f.options) || f.options.length === 0)) return `${at}为选择项，须给出 options`;
    if (f.min !== undefined && typeof f.min !== 'number') return `${at}的 min 应为数字`;
    if (f.max !== undefined && typeof f.max !== 'number') return `${at}的 max 应为数字`;
    if (f.decidesYear !== undefined && typeof f.decidesYear !== 'boolean') return `${at}的 decidesYear 应为 true 或 false`;
  }
  // One proof file per declaration: it is stored in the declaration's row (migration 017).
  if ((v as LearningFormField[]).filter((f) => f.type === 'file').length > 1) return '每种学习形式最多一个文件型录入项（证明材料）';
  const deciding = (v as LearningFormField[]).filter((f) => f.decidesYear === true);
  if (deciding.length !== 1 || deciding[0].type !== 'date' || !deciding[0].required) {
    return '须有且仅有一个必填的日期型录入项标明 "decidesYear": true（其年份为学时的认定年度，如申请日期、投稿日期、入学日期、立项日期）';
  }
  return undefined;
}

function checkProvenance(c: { source?: unknown; confirmed?: unknown }): string | undefined {
  if (c.source !== undefined && (typeof c.source !== 'string' || c.source.length > 300)) return '依据说明（source）应为不超过300字的文字';
  if (c.confirmed !== undefined && typeof c.confirmed !== 'boolean') return '是否经山东省文件确认（confirmed）应为 true 或 false';
  return undefined;
}

function missingHours(options: string[], table: Record<string, unknown>): string[] {
  return options.filter((o) => !(typeof table[o] === 'number' && (table[o] as number) >= 0 && (table[o] as number) <= 1000));
}

export function checkConversion(v: unknown, fields: LearningFormField[]): string | undefined {
  const c = v as Conversion;
  const field = (key: string) => fields.find((f) => f.key === key);
  const provenance = c && typeof c === 'object' ? checkProvenance(c) : undefined;
  if (provenance) return provenance;
  switch (c?.method) {
    case 'per_unit':
      if (!field(c.field) || field(c.field)!.type !== 'number') return '按单位折算须指向一个数字型录入项（field）';
      if (!(typeof c.hoursPerUnit === 'number' && c.hoursPerUnit > 0 && c.hoursPerUnit <= 100)) return '每单位学时（hoursPerUnit）应为0–100之间的数字';
      return undefined;
    case 'fixed':
      return typeof c.hours === 'number' && c.hours > 0 && c.hours <= 1000 ? undefined : '固定学时（hours）应为0–1000之间的数字';
    case 'declared':
      return field('hours')?.type === 'number' ? undefined : '按申报学时计算须有数字型录入项 hours';
    case 'by_option': {
      const f = field(c.field);
      if (!f || f.type !== 'select') return '按选项折算须指向一个选择型录入项（field）';
      const missing = missingHours(f.options ?? [], c.hours ?? {});
      return missing.length ? `以下选项缺少学时（0–1000）：${missing.join('、')}` : undefined;
    }
    case 'by_two_options': {
      if (!Array.isArray(c.fields) || c.fields.length !== 2 || c.fields[0] === c.fields[1]) return '按两项折算须给出两个不同的选择型录入项（fields: [级别, 排名]）';
      const [rows, cols] = c.fields.map((k) => field(k));
      if (!rows || rows.type !== 'select' || !cols || cols.type !== 'select') return '按两项折算的 fields 须指向两个选择型录入项';
      const table = (c.hours ?? {}) as Record<string, Record<string, unknown>>;
      for (const r of rows.options ?? []) {
        const row = table[r];
        if (!row || typeof row !== 'object') return `「${rows.label}：${r}」缺少学时表`;
        const missing = missingHours(cols.options ?? [], row);
        if (missing.length) return `「${rows.label}：${r}」的以下${cols.label}缺少学时（0–1000）：${missing.join('、')}`;
      }
      return undefined;
    }
    default:
      return '折算方式（method）应为 per_unit、fixed、declared、by_option、by_two_options 之一';
  }
}
