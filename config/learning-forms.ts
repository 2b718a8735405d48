/**
 * 学习形式目录（种子数据）：each learning form's evidence fields, its conversion of an activity
 * into hours (学时) and its caps. The catalog is data: the seed writes it into the table
 * `learning_forms`, where an admin may edit it later; the table, not this file, is then the
 * source of truth.
 *
 * The conversion values follow published examples (a day of full-time training = 6 hours,
 * a national conference 12 hours, more with a paper; a passed degree course 15 hours; research
 * graded by the rank in the team). Shandong's exact table is unconfirmed: these are seed
 * values, to be adjusted by the provincial administrator.
 */

export interface LearningFormField {
  key: string;
  label: string;
  type: 'text' | 'date' | 'number' | 'select' | 'file';
  unit?: string;
  required: boolean;
  options?: string[];
  min?: number;
  max?: number;
}

export type Conversion =
  | { method: 'per_unit'; field: string; hoursPerUnit: number } // e.g. days × 6
  | { method: 'fixed'; hours: number } // fixed per item
  | { method: 'declared' } // hours entered directly (field `hours`), capped
  | { method: 'by_option'; field: string; hours: Record<string, number> }; // e.g. conference level / rank in team

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
function dates(startLabel = '开始日期', endLabel = '结束日期'): LearningFormField[] {
  return [
    { key: 'start_date', label: startLabel, type: 'date', required: true },
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

const PAPER_HOURS: Record<string, number> = {
  '学术专著（独著/主编）': 40,
  '学术专著（参编）/译著': 20,
  'SCI/SSCI/EI收录论文': 30,
  '中文核心期刊论文': 20,
  '省级及以上公开期刊论文': 10,
  '其他公开发表论文': 6,
};

const RESEARCH_HOURS: Record<string, number> = {
  '主持人（第一位）': 30,
  '第二位': 20,
  '第三位': 15,
  '第四至五位': 10,
  '其他参与人员': 6,
};

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
    conversion: { method: 'per_unit', field: 'days', hoursPerUnit: 6 },
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
    conversion: { method: 'by_option', field: 'level', hours: CONFERENCE_HOURS },
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
    conversion: { method: 'by_option', field: 'role', hours: LECTURE_HOURS },
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
    conversion: { method: 'per_unit', field: 'days', hoursPerUnit: 0.5 },
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
    conversion: { method: 'per_unit', field: 'days', hoursPerUnit: 6 },
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
    conversion: { method: 'per_unit', field: 'courses', hoursPerUnit: 15 },
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
      select('inventor_rank', '发明人排名', ['第一发明人', '第二发明人', '第三发明人及以后']),
      evidence('专利证书'),
    ],
    conversion: { method: 'fixed', hours: 30 },
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
      { key: 'author_rank', label: '作者排名', type: 'number', unit: '位', required: true, min: 1, max: 20 },
      evidence('刊物封面、目录页及正文'),
    ],
    conversion: { method: 'by_option', field: 'publication_level', hours: PAPER_HOURS },
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
      select('project_level', '课题级别', ['国家级', '省部级', '市厅级', '其他']),
      select('rank', '本人排名', Object.keys(RESEARCH_HOURS)),
      evidence('立项文件或结题证书'),
    ],
    conversion: { method: 'by_option', field: 'rank', hours: RESEARCH_HOURS },
    capPerYear: 60,
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
    conversion: { method: 'per_unit', field: 'days', hoursPerUnit: 6 },
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
      const v = values?.[c.field];
      raw = typeof v === 'string' && Object.prototype.hasOwnProperty.call(c.hours, v) ? c.hours[v] : undefined;
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
