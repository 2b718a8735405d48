/**
 * 学习形式目录（种子数据）：each learning form's evidence fields, the date that decides the year its
 * hours count in, its conversion of an activity into hours (学时) and its caps. The catalog is
 * data: the seed writes it into the table `learning_forms`, where the provincial admin may edit it
 * later; the table, not this file, is then the source of truth (migration 010 brought the rows of
 * older databases to this version).
 *
 * The year: every form names one of its date fields with `decidesYear` — the start of the
 * activity (issue 18: a patent applied for on 2023-05-01 and granted on 2025-03-10 counts in 2023;
 * papers by submission, degrees by enrolment, research by approval).
 *
 * The conversions follow published examples. No Shandong text confirms any of them: each seeded
 * conversion says where its values come from (`source`) and carries `confirmed: false`, shown in
 * the catalog, until the provincial administrator confirms or replaces it.
 */

/** Where the seed's values come from (none of them is a Shandong document). */
const REFERENCE = '外省《继续教育活动与学时折算参考标准》';
const REFERENCE_TABLE = '外省《专业技术人员继续教育学时计算一览表》';
const NATIONAL_PRACTICE = '各地公开的折算示例（全脱产培训每天6学时、学历教育每门课程15学时、国家级学术会议12学时，交流论文另加6–8学时）';

export interface LearningFormField {
  key: string;
  label: string;
  type: 'text' | 'date' | 'number' | 'select' | 'file';
  unit?: string;
  required: boolean;
  options?: string[];
  min?: number;
  max?: number;
  /** The one date field whose year is the year the hours count in (认定年度). */
  decidesYear?: boolean;
}

/** Provenance of a conversion's values: `confirmed: false` until a Shandong text confirms them. */
interface Provenance { source?: string; confirmed?: boolean }

export type Conversion = Provenance & (
  | { method: 'per_unit'; field: string; hoursPerUnit: number } // e.g. days × 6
  | { method: 'fixed'; hours: number } // fixed per item
  | { method: 'declared' } // hours entered directly (field `hours`), capped
  | { method: 'by_option'; field: string; hours: Record<string, number> } // e.g. conference level
  // Two fields, e.g. project level × rank in the team: hours[option of fields[0]][option of fields[1]].
  | { method: 'by_two_options'; fields: [string, string]; hours: Record<string, Record<string, number>> });

export interface LearningFormSeed {
  code: string;
  name: string;
  subjectTypes: ('public' | 'professional')[];
  fields: LearningFormField[];
  conversion: Conversion;
  capPerActivity?: number;
  capPerYear?: number;
  evidence: string;
  keyReview: boolean;
  bulkImport: boolean;
  sort: number;
}

/** The field that carries the hours of a `declared` conversion. */
export const DECLARED_HOURS_FIELD = 'hours';

// --- common fields ---------------------------------------------------------------------------

function activityName(label = '学习项目名称'): LearningFormField {
  return { key: 'activity_name', label, type: 'text', required: true };
}
/** The activity's dates; the start decides the year (issue 18: the year of the start of the activity). */
function dates(startLabel = '开始日期', endLabel = '结束日期'): LearningFormField[] {
  return [
    { key: 'start_date', label: startLabel, type: 'date', required: true, decidesYear: true },
    { key: 'end_date', label: endLabel, type: 'date', required: true },
  ];
}
function organiser(label = '主办单位'): LearningFormField {
  return { key: 'organiser', label, type: 'text', required: true };
}
function evidence(label: string): LearningFormField {
  return { key: 'evidence', label, type: 'file', required: true };
}
function days(label = '学习天数', max = 60): LearningFormField {
  return { key: 'days', label, type: 'number', unit: '天', required: true, min: 0.5, max };
}
function hours(label = '学时数', max = 200): LearningFormField {
  return { key: DECLARED_HOURS_FIELD, label, type: 'number', unit: '学时', required: true, min: 0.5, max };
}
function select(key: string, label: string, options: string[], required = true): LearningFormField {
  return { key, label, type: 'select', required, options };
}

const CONFERENCE_HOURS: Record<string, number> = {
  '国际学术会议': 12,
  '国际学术会议（宣读/交流论文）': 20,
  '全国学术会议': 12,
  '全国学术会议（宣读/交流论文）': 18,
  '省级学术会议': 8,
  '省级学术会议（宣读/交流论文）': 12,
  '市级学术会议': 6,
  '市级学术会议（宣读/交流论文）': 8,
};

const LECTURE_HOURS: Record<string, number> = {
  '主讲人': 8,
  '听讲': 3,
};

/** 论文著作: the first author's hours by publication level; the second gets ¾, the third ½, later authors none. */
const PAPER_FIRST_AUTHOR: Record<string, number> = {
  '学术专著（独著/主编）': 40,
  '学术专著（参编）/译著': 20,
  'SCI/SSCI/EI收录论文': 30,
  '中文核心期刊论文': 20,
  '省级及以上公开期刊论文': 10,
  '其他公开发表论文': 6,
};
export const AUTHOR_RANKS = ['第一作者（独著）', '第二作者', '第三作者', '第四作者及以后'];
const half = (h: number) => Math.round(h * 2) / 2;
const PAPER_HOURS: Record<string, Record<string, number>> = Object.fromEntries(Object.entries(PAPER_FIRST_AUTHOR).map(([level, h]) =>
  [level, { [AUTHOR_RANKS[0]]: h, [AUTHOR_RANKS[1]]: half(h * 0.75), [AUTHOR_RANKS[2]]: half(h * 0.5), [AUTHOR_RANKS[3]]: 0 }]));

/** 课题研究: project level × rank in the team (主课题组成员按职责大小排序). */
export const RESEARCH_RANKS = ['主持人（第一位）', '第二位', '第三位', '第四位', '第五位', '其他参与人员'];
const RESEARCH_HOURS: Record<string, Record<string, number>> = {
  // The reference: national projects, the first five 64/56/48/40/32 a year; provincial, the first three 56/48/40.
  '国家级': { '主持人（第一位）': 64, '第二位': 56, '第三位': 48, '第四位': 40, '第五位': 32, '其他参与人员': 0 },
  '省部级': { '主持人（第一位）': 56, '第二位': 48, '第三位': 40, '第四位': 0, '第五位': 0, '其他参与人员': 0 },
  // No published value: one step below 省部级 (the reference's provincial sub-project values 40/32/24), then 24/16/8.
  '市厅级': { '主持人（第一位）': 40, '第二位': 32, '第三位': 24, '第四位': 0, '第五位': 0, '其他参与人员': 0 },
  '其他': { '主持人（第一位）': 24, '第二位': 16, '第三位': 8, '第四位': 0, '第五位': 0, '其他参与人员': 0 },
};

/** 发明专利: by inventor rank, the first 48 and 6 fewer for each later rank. */
export const INVENTOR_RANKS = ['第一发明人', '第二发明人', '第三发明人', '第四发明人', '第五发明人', '第六发明人', '第七发明人', '第八发明人', '第九发明人及以后'];
const PATENT_HOURS: Record<string, number> = Object.fromEntries(INVENTOR_RANKS.map((r, i) => [r, Math.max(0, 48 - 6 * i)]));

export const learningForms: LearningFormSeed[] = [
  {
    code: 'face_to_face',
    name: '集中面授',
    subjectTypes: ['public', 'professional'],
    fields: [
      activityName('培训项目名称'), ...dates(), organiser(),
      { key: 'location', label: '培训地点', type: 'text', required: false },
      days('培训天数', 30),
      evidence('结业证书或培训证明'),
    ],
    conversion: { method: 'per_unit', field: 'days', hoursPerUnit: 6, source: NATIONAL_PRACTICE, confirmed: false },
    capPerActivity: 90,
    evidence: '主办单位出具的结业证书或培训证明（加盖公章）',
    keyReview: false,
    bulkImport: false,
    sort: 10,
  },
  {
    code: 'online',
    name: '网络培训',
    subjectTypes: ['public', 'professional'],
    fields: [
      activityName('课程名称'), ...dates(), organiser('培训机构'),
      { key: 'platform', label: '学习平台', type: 'text', required: true },
      hours('完成学时', 60),
      evidence('网络学习证明或学时证明'),
    ],
    conversion: { method: 'declared' },
    capPerActivity: 60,
    capPerYear: 60,
    evidence: '学习平台出具的学习证明（学时证明）',
    keyReview: false,
    bulkImport: false,
    sort: 20,
  },
  {
    code: 'conference',
    name: '学术会议',
    subjectTypes: ['professional'],
    fields: [
      activityName('会议名称'), ...dates(), organiser(),
      select('level', '会议级别', Object.keys(CONFERENCE_HOURS)),
      { key: 'paper_title', label: '交流论文题目', type: 'text', required: false },
      evidence('会议通知、参会证明或论文集'),
    ],
    conversion: { method: 'by_option', field: 'level', hours: CONFERENCE_HOURS, source: `${REFERENCE}：国家部委学术会议12学时，报告论文另加6–8学时；省级8学时，另加4–6学时（国际、市级为推定值）`, confirmed: false },
    evidence: '会议通知、参会证明；交流论文的须附论文集目录页',
    keyReview: false,
    bulkImport: false,
    sort: 30,
  },
  {
    code: 'lecture',
    name: '学术讲座',
    subjectTypes: ['public', 'professional'],
    fields: [
      activityName('讲座名称'), ...dates('讲座日期', '结束日期'), organiser(),
      select('role', '参加身份', Object.keys(LECTURE_HOURS)),
      evidence('讲座通知或听讲证明'),
    ],
    conversion: { method: 'by_option', field: 'role', hours: LECTURE_HOURS, source: '种子值，无公开文件依据', confirmed: false },
    capPerYear: 30,
    evidence: '讲座通知、签到表或主办单位证明',
    keyReview: false,
    bulkImport: false,
    sort: 40,
  },
  {
    code: 'secondment',
    name: '挂职锻炼',
    subjectTypes: ['professional'],
    fields: [
      activityName('挂职岗位'), ...dates('挂职开始日期', '挂职结束日期'), organiser('挂职单位'),
      days('挂职天数', 366),
      evidence('组织人事部门的派出文件及考核证明'),
    ],
    conversion: { method: 'per_unit', field: 'days', hoursPerUnit: 0.5, source: '种子值，无公开文件依据', confirmed: false },
    capPerActivity: 90,
    capPerYear: 90,
    evidence: '派出文件、挂职单位出具的考核鉴定',
    keyReview: false,
    bulkImport: false,
    sort: 50,
  },
  {
    code: 'on_job',
    name: '岗位培训',
    subjectTypes: ['professional'],
    fields: [
      activityName('培训项目名称'), ...dates(), organiser('组织单位'),
      hours('培训学时', 40),
      evidence('单位培训记录或考核证明'),
    ],
    conversion: { method: 'declared' },
    capPerActivity: 40,
    evidence: '单位出具的培训记录、签到表及考核结果',
    keyReview: false,
    bulkImport: true,
    sort: 60,
  },
  {
    code: 'advanced_study',
    name: '进修',
    subjectTypes: ['professional'],
    fields: [
      activityName('进修项目'), ...dates(), organiser('进修单位'),
      days('进修天数', 366),
      evidence('进修结业证书或鉴定'),
    ],
    conversion: { method: 'per_unit', field: 'days', hoursPerUnit: 6, source: NATIONAL_PRACTICE, confirmed: false },
    capPerActivity: 90,
    capPerYear: 90,
    evidence: '进修单位出具的结业证书或进修鉴定',
    keyReview: false,
    bulkImport: false,
    sort: 70,
  },
  {
    code: 'degree',
    name: '学历教育',
    subjectTypes: ['professional'],
    fields: [
      activityName('学历（学位）教育项目'), ...dates('入学日期', '本年度截止日期'), organiser('培养院校'),
      { key: 'major', label: '所学专业', type: 'text', required: true },
      select('degree_level', '学历层次', ['博士研究生', '硕士研究生', '大学本科', '大学专科']),
      { key: 'courses', label: '本年度考试合格课程数', type: 'number', unit: '门', required: true, min: 1, max: 10 },
      evidence('成绩单'),
    ],
    conversion: { method: 'per_unit', field: 'courses', hoursPerUnit: 15, source: `${REFERENCE}：学历、学位教育或课程进修，考试考核合格者每门课程15学时`, confirmed: false },
    capPerYear: 90,
    evidence: '培养院校教务部门出具的成绩单',
    keyReview: false,
    bulkImport: false,
    sort: 80,
  },
  {
    code: 'patent',
    name: '发明专利',
    subjectTypes: ['professional'],
    fields: [
      activityName('专利名称'), ...dates('申请日期', '授权日期'), organiser('专利权人'),
      { key: 'patent_number', label: '专利号', type: 'text', required: true },
      select('inventor_rank', '发明人排名', INVENTOR_RANKS),
      evidence('专利证书'),
    ],
    conversion: { method: 'by_option', field: 'inventor_rank', hours: PATENT_HOURS, source: `${REFERENCE_TABLE}：发明专利第一名48学时，排序递减6`, confirmed: false },
    capPerYear: 90,
    evidence: '国家知识产权局颁发的发明专利证书',
    keyReview: true,
    bulkImport: false,
    sort: 90,
  },
  {
    code: 'paper',
    name: '论文著作',
    subjectTypes: ['professional'],
    fields: [
      activityName('论文（著作）题目'), ...dates('投稿日期', '发表（出版）日期'), organiser('刊物名称或出版社'),
      select('publication_level', '刊物（著作）级别', Object.keys(PAPER_HOURS)),
      select('author_rank', '作者排名', AUTHOR_RANKS),
      evidence('刊物封面、目录页及正文'),
    ],
    conversion: { method: 'by_two_options', fields: ['publication_level', 'author_rank'], hours: PAPER_HOURS,
      source: `${REFERENCE}：署名前3名的作者计学时（第一作者的学时为种子值，第二作者按3/4、第三作者按1/2为推定值）`, confirmed: false },
    capPerYear: 60,
    evidence: '刊物封面、目录页、正文首页或著作版权页',
    keyReview: false,
    bulkImport: false,
    sort: 100,
  },
  {
    code: 'research',
    name: '课题研究',
    subjectTypes: ['professional'],
    fields: [
      activityName('课题名称'), ...dates('立项日期', '结题日期'), organiser('立项部门'),
      select('project_level', '课题级别', Object.keys(RESEARCH_HOURS)),
      select('rank', '本人排名', RESEARCH_RANKS),
      evidence('立项文件或结题证书'),
    ],
    conversion: { method: 'by_two_options', fields: ['project_level', 'rank'], hours: RESEARCH_HOURS,
      source: `${REFERENCE}：国家级课题主课题组前5名每年64/56/48/40/32学时，省级前3名56/48/40学时（市厅级、其他为推定值）`, confirmed: false },
    capPerYear: 90, // a national project's leader gets 64 a year: the earlier 60 would refuse it
    evidence: '立项通知书、结题证书或鉴定证书',
    keyReview: false,
    bulkImport: false,
    sort: 110,
  },
  {
    code: 'overseas',
    name: '出国（境）培训',
    subjectTypes: ['professional'],
    fields: [
      activityName('培训项目名称'), ...dates(), organiser('组派单位'),
      { key: 'country', label: '国家（地区）', type: 'text', required: true },
      days('境外培训天数', 90),
      evidence('出国（境）任务批件及结业证明'),
    ],
    conversion: { method: 'per_unit', field: 'days', hoursPerUnit: 6, source: NATIONAL_PRACTICE, confirmed: false },
    capPerActivity: 90,
    evidence: '出国（境）任务批件、境外培训机构结业证明',
    keyReview: false,
    bulkImport: false,
    sort: 120,
  },
];

export function learningFormByCode(code: string): LearningFormSeed | undefined {
  return learningForms.find((f) => f.code === code);
}

function lookUp<T>(table: Record<string, T> | undefined, v: unknown): T | undefined {
  return typeof v === 'string' && table && Object.prototype.hasOwnProperty.call(table, v) ? table[v] : undefined;
}

/** The first year hours may count in (the schema's hour_declarations.year CHECK starts there). */
export const FIRST_YEAR = 2000;

/** The key of the date field that decides a form's year ('start_date' for a definition that names none). */
export function yearFieldOf(fields: LearningFormField[]): string {
  return fields.find((f) => f.decidesYear && f.type === 'date')?.key ?? 'start_date';
}

/** The year the hours of an activity count in: the year of the form's deciding date; undefined without it. */
export function activityYear(fields: LearningFormField[], values: Record<string, unknown>): number | undefined {
  const v = values?.[yearFieldOf(fields)];
  const m = typeof v === 'string' ? /^(\d{4})-\d{2}-\d{2}$/.exec(v) : null;
  return m ? Number(m[1]) : undefined;
}

/**
 * Why an activity whose values all fit its form gives 0 hours, when the conversion's table says so
 * (a fourth author, a sixth member of a provincial project): 「作者排名：第四作者及以后」不计学时.
 */
export function zeroHoursReason(form: Pick<LearningFormSeed, 'conversion' | 'fields'>, values: Record<string, unknown>): string | undefined {
  const c = form.conversion;
  const label = (key: string) => form.fields.find((f) => f.key === key)?.label ?? key;
  if (c?.method === 'by_option' && lookUp(c.hours, values?.[c.field]) === 0) return `「${label(c.field)}：${values[c.field]}」不计学时`;
  if (c?.method === 'by_two_options' && lookUp(lookUp(c.hours, values?.[c.fields[0]]), values?.[c.fields[1]]) === 0) {
    return `「${label(c.fields[0])}：${values[c.fields[0]]}，${label(c.fields[1])}：${values[c.fields[1]]}」不计学时`;
  }
  return undefined;
}

function positive(v: unknown): number | undefined {
  if (v === null || v === undefined || v === '' || typeof v === 'boolean') return undefined;
  const n = typeof v === 'number' ? v : Number(String(v).trim());
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

/**
 * Hours (学时) of one activity: the form's conversion applied to the entered values, then the
 * per-activity cap, rounded to the nearest half hour. 0 when a value is missing or invalid.
 * The per-year cap depends on the person's other records and is applied by the caller.
 */
export function hoursFor(
  form: Pick<LearningFormSeed, 'conversion' | 'capPerActivity'>,
  values: Record<string, unknown>,
): number {
  const c = form.conversion;
  let raw: number | undefined;
  switch (c?.method) {
    case 'per_unit': {
      const units = positive(values?.[c.field]);
      raw = units === undefined ? undefined : units * c.hoursPerUnit;
      break;
    }
    case 'fixed':
      raw = c.hours;
      break;
    case 'declared':
      raw = positive(values?.[DECLARED_HOURS_FIELD]);
      break;
    case 'by_option': {
      raw = lookUp(c.hours, values?.[c.field]);
      break;
    }
    case 'by_two_options': {
      const row = lookUp(c.hours, values?.[c.fields?.[0]]);
      raw = row === undefined ? undefined : lookUp(row, values?.[c.fields[1]]);
      break;
    }
    default:
      raw = undefined;
  }
  if (raw === undefined || !Number.isFinite(raw) || raw <= 0) return 0;
  const cap = form.capPerActivity;
  if (cap !== undefined && cap !== null && Number.isFinite(Number(cap)) && Number(cap) > 0) raw = Math.min(raw, Number(cap));
  return Math.round(raw * 2) / 2;
}
