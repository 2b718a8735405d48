/**
 * 职称：级别、学历、职称系列（含各级别的职称名称）。
 * persons.title_level stores the level's `value`, persons.education the education's `value`,
 * persons.title_series the series' `name` (the Chinese series name), persons.title the title.
 * Where a series has no title at a level (e.g. 高等学校教师 has no 员级), the level is absent.
 */

export type TitleLevel = 'senior' | 'vice_senior' | 'intermediate' | 'assistant' | 'junior';
export type Education = 'doctor' | 'master' | 'bachelor' | 'college' | 'secondary' | 'other';

export const titleLevels: { value: TitleLevel; label: '正高级' | '副高级' | '中级' | '助理级' | '员级' }[] = [
  { value: 'senior', label: '正高级' },
  { value: 'vice_senior', label: '副高级' },
  { value: 'intermediate', label: '中级' },
  { value: 'assistant', label: '助理级' },
  { value: 'junior', label: '员级' },
];

export const educations: { value: Education; label: string }[] = [
  { value: 'doctor', label: '博士研究生' },
  { value: 'master', label: '硕士研究生' },
  { value: 'bachelor', label: '大学本科' },
  { value: 'college', label: '大学专科' },
  { value: 'secondary', label: '中专' },
  { value: 'other', label: '其他' },
];

export interface TitleSeries {
  /** The series name, stored in persons.title_series: '工程技术'. */
  name: string;
  /** Title per level; a missing level means the series has no title at that level. */
  titles: Partial<Record<TitleLevel, string>>;
}

function five(senior: string, vice: string, mid: string, assistant: string, junior?: string): TitleSeries['titles'] {
  const t: TitleSeries['titles'] = { senior, vice_senior: vice, intermediate: mid, assistant };
  if (junior) t.junior = junior;
  return t;
}

export const titleSeries: TitleSeries[] = [
  { name: '高等学校教师', titles: five('教授', '副教授', '讲师', '助教') },
  { name: '哲学社会科学研究', titles: five('研究员', '副研究员', '助理研究员', '研究实习员') },
  { name: '自然科学研究', titles: five('研究员', '副研究员', '助理研究员', '研究实习员') },
  { name: '卫生技术', titles: five('主任医师', '副主任医师', '主治医师', '医师', '医士') },
  { name: '工程技术', titles: five('正高级工程师', '高级工程师', '工程师', '助理工程师', '技术员') },
  { name: '农业技术', titles: five('正高级农艺师', '高级农艺师', '农艺师', '助理农艺师', '农业技术员') },
  { name: '新闻', titles: five('高级记者', '主任记者', '记者', '助理记者') },
  { name: '出版', titles: five('编审', '副编审', '编辑', '助理编辑') },
  { name: '图书资料', titles: five('研究馆员', '副研究馆员', '馆员', '助理馆员', '管理员') },
  { name: '文物博物', titles: five('研究馆员', '副研究馆员', '馆员', '助理馆员') },
  { name: '档案', titles: five('研究馆员', '副研究馆员', '馆员', '助理馆员', '管理员') },
  { name: '工艺美术', titles: five('正高级工艺美术师', '高级工艺美术师', '工艺美术师', '助理工艺美术师', '工艺美术员') },
  { name: '技工院校教师', titles: five('正高级讲师', '高级讲师', '讲师', '助理讲师') },
  { name: '体育', titles: five('国家级教练', '高级教练', '中级教练', '初级教练') },
  { name: '翻译', titles: five('译审', '一级翻译', '二级翻译', '三级翻译') },
  { name: '播音主持', titles: five('播音指导', '主任播音员主持人', '一级播音员主持人', '二级播音员主持人', '三级播音员主持人') },
  { name: '会计', titles: five('正高级会计师', '高级会计师', '会计师', '助理会计师') },
  { name: '统计', titles: five('正高级统计师', '高级统计师', '统计师', '助理统计师') },
  { name: '经济', titles: five('正高级经济师', '高级经济师', '经济师', '助理经济师') },
  { name: '审计', titles: five('正高级审计师', '高级审计师', '审计师', '助理审计师') },
  { name: '艺术', titles: five('一级演员', '二级演员', '三级演员', '四级演员') },
  { name: '公共法律服务', titles: five('一级公证员', '二级公证员', '三级公证员', '四级公证员') },
  { name: '中小学教师', titles: five('正高级教师', '高级教师', '一级教师', '二级教师', '三级教师') },
  { name: '中等职业学校教师', titles: five('正高级讲师', '高级讲师', '讲师', '助理讲师') },
  { name: '实验技术', titles: five('正高级实验师', '高级实验师', '实验师', '助理实验师', '实验员') },
];

const byName = new Map(titleSeries.map((s) => [s.name, s]));

export function titleLevelLabel(level: string): string | undefined {
  return titleLevels.find((l) => l.value === level)?.label;
}

export function educationLabel(value: string): string | undefined {
  return educations.find((e) => e.value === value)?.label;
}

export function seriesByName(name: string): TitleSeries | undefined {
  return byName.get(name);
}

/** The title of a series at a level ('工程技术', 'intermediate' → '工程师'); undefined when none. */
export function titleFor(series: string, level: TitleLevel | string): string | undefined {
  return byName.get(series)?.titles[level as TitleLevel];
}

/** The levels that exist in a series, highest first. */
export function levelsOf(series: string): TitleLevel[] {
  const s = byName.get(series);
  return s ? titleLevels.map((l) => l.value).filter((v) => s.titles[v] !== undefined) : [];
}
