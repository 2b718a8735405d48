/**
 * 年末提醒 (issue 19.5), the pure part: the province's settings as entered in the panel, the
 * period a day falls in, and the texts a person and a unit admin receive. No database here.
 */
import { ValidationFailed } from './errors.js';
import type { YearlyRequirement } from '../../config/yearly-requirements.js';

export interface ReminderSettings {
  enabled: boolean;
  start_month: number;
  start_day: number;
  interval_days: number;
  email_enabled: boolean;
  sms_enabled: boolean;
  digest_enabled: boolean;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const DAY = 86_400_000;
/** Shandong's clock: UTC+8 all year (no daylight saving). */
const SHANGHAI_OFFSET = 8 * 3_600_000;

const flag = (v: unknown) => v === true || v === 'true' || v === 1 || v === '1' || v === 'on';

function integer(errors: Record<string, { message: string }>, key: string, raw: unknown, label: string, min: number, max: number): number | null {
  const text = raw === undefined || raw === null ? '' : String(raw).trim();
  if (!text) { errors[key] = { message: `请填写${label}` }; return null; }
  if (text.length > 6) { errors[key] = { message: `${label}过长` }; return null; }
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) { errors[key] = { message: `${label}应为${min}至${max}之间的整数` }; return null; }
  return n;
}

/** The panel's edit of 年末提醒设置: every field checked, a clear Chinese message per field, nothing saved on error. */
export function reminderSettingsInput(values: Record<string, unknown>, current: Partial<ReminderSettings> = {}): Partial<ReminderSettings> {
  const errors: Record<string, { message: string }> = {};
  const out: Partial<ReminderSettings> = {};
  const has = (k: keyof ReminderSettings) => k in values;
  const month = has('start_month') ? integer(errors, 'start_month', values.start_month, '起始月份', 1, 12) : current.start_month ?? null;
  const day = has('start_day') ? integer(errors, 'start_day', values.start_day, '起始日', 1, 31) : current.start_day ?? null;
  if (month !== null && day !== null && day > DAYS_IN_MONTH[month - 1]) {
    errors.start_day = { message: month === 2 ? '2月的起始日不能晚于28日（并非每年都有29日）' : `${month}月只有${DAYS_IN_MONTH[month - 1]}天` };
  }
  if (has('start_month') && month !== null) out.start_month = month;
  if (has('start_day') && day !== null) out.start_day = day;
  if (has('interval_days')) {
    const n = integer(errors, 'interval_days', values.interval_days, '提醒间隔天数', 1, 366);
    if (n !== null) out.interval_days = n;
  }
  for (const k of ['enabled', 'email_enabled', 'sms_enabled', 'digest_enabled'] as const) if (has(k)) out[k] = flag(values[k]);
  if (Object.keys(errors).length) throw new ValidationFailed(errors, '年末提醒设置有误，未保存');
  return out;
}

/** The calendar day of an instant in Shandong. */
export function shanghaiDay(at: Date): { year: number; month: number; day: number; iso: string } {
  const d = new Date(at.getTime() + SHANGHAI_OFFSET);
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth() + 1;
  const day = d.getUTCDate();
  return { year, month, day, iso: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}` };
}

const isoOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export interface ReminderPeriod {
  year: number;
  /** The due day (Shandong calendar). */
  dueDate: string;
  /** The first day of the period the due day falls in: start + k × interval. */
  periodStart: string;
  /** k. */
  index: number;
}

/** The period a due time falls in, or null before the year's start date. */
export function periodOf(s: Pick<ReminderSettings, 'start_month' | 'start_day' | 'interval_days'>, at: Date): ReminderPeriod | null {
  const today = shanghaiDay(at);
  const start = Date.UTC(today.year, s.start_month - 1, s.start_day);
  const now = Date.UTC(today.year, today.month - 1, today.day);
  if (now < start) return null;
  const index = Math.floor((now - start) / DAY / s.interval_days);
  return { year: today.year, dueDate: today.iso, periodStart: isoOf(start + index * s.interval_days * DAY), index };
}

export interface Shortfall { public: number; professional: number; total: number }

const one = (n: number) => Math.round(n * 10) / 10;

/** What a person still lacks against the requirement, counting approved and pending hours. */
export function shortfallOf(req: YearlyRequirement, publicHours: number, professionalHours: number): Shortfall {
  return {
    public: one(Math.max(0, req.public - publicHours)),
    professional: one(Math.max(0, req.professional - professionalHours)),
    total: one(Math.max(0, req.total - publicHours - professionalHours)),
  };
}

export interface PersonReminderFacts {
  name: string; year: number; dueDate: string;
  approvedPublic: number; approvedProfessional: number; pendingPublic: number; pendingProfessional: number;
  requirement: YearlyRequirement; missing: Shortfall;
}

const h = (n: number) => `${one(n)}学时`;
const missingText = (m: Shortfall) => [m.public > 0 ? `公需科目${h(m.public)}` : '', m.professional > 0 ? `专业科目${h(m.professional)}` : '',
  m.total > 0 && m.total > m.public + m.professional ? `总学时${h(m.total)}` : ''].filter(Boolean).join('、') || `总学时${h(m.total)}`;

export function personReminderText(f: PersonReminderFacts): { subject: string; body: string; sms: string } {
  const subject = `${f.year}年度继续教育学时提醒`;
  const body = `${f.name}，您好：\n截至${f.dueDate}，您${f.year}年度已认定公需科目${h(f.approvedPublic)}、专业科目${h(f.approvedProfessional)}，`
    + `待审核公需科目${h(f.pendingPublic)}、专业科目${h(f.pendingProfessional)}。`
    + `年度要求为总学时${h(f.requirement.total)}（其中公需科目不少于${h(f.requirement.public)}、专业科目不少于${h(f.requirement.professional)}），`
    + `尚差${missingText(f.missing)}。请在年底前完成学习并及时申报学时。\n`
    + '如不希望再收到此类提醒，请登录平台，在“专技人员信息查询”中打开本人信息，选择“提醒设置”关闭。\n山东省专业技术人员继续教育公共服务平台';
  const sms = `【山东继续教育】${f.name}，您${f.year}年度继续教育学时尚差${missingText(f.missing)}，请在年底前完成学习并申报。可登录平台在“提醒设置”中退订。`;
  return { subject, body, sms };
}

export interface DigestRow { name: string; missing: Shortfall; status: string }

export const reminderStatusText: Record<string, string> = {
  sending: '发送中', sent: '已提醒', failed: '发送失败', opted_out: '本人已退订', no_contact: '无联系方式',
};

export function unitDigestText(unitName: string, year: number, dueDate: string, total: number, rows: DigestRow[]): { subject: string; body: string } {
  const lines = rows.map((r, i) => `${i + 1}. ${r.name}：尚差${missingText(r.missing)}（${reminderStatusText[r.status] ?? r.status}）`);
  const more = total > rows.length ? `\n……另有 ${total - rows.length} 人，请登录平台在“专技人员信息查询”中按“完成情况”筛选查看。` : '';
  return {
    subject: `${unitName}：${year}年度继续教育学时未达标人员（${total}人）`,
    body: `${unitName}管理员，您好：\n截至${dueDate}，本单位有 ${total} 名专业技术人员${year}年度已认定与待审核学时合计仍未达到年度要求：\n${lines.join('\n')}${more}\n`
      + '请督促相关人员在年底前完成学习并及时申报、审核学时。\n山东省专业技术人员继续教育公共服务平台',
  };
}
