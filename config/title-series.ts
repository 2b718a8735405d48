/**
 * 职称：级别、学历、职称系列（含系列内的专业 track 与各级别的职称名称）。
 * persons.title_level stores the level's `value`, persons.education the education's `value`,
 * persons.title_series the series' `name` (the Chinese series name), persons.title the title.
 * Where a series has no title at a level (e.g. 高等学校教师 has no 员级), the level is absent.
 * The track is not stored: a title names its track (主管护师 is 卫生技术 · 护理 · 中级).
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

/** A track (专业) inside a series: 卫生技术 has 医疗, 药学, 护理, 技术 … each with its own titles. */
export interface TitleTrack {
  name: string;
  /** Title per level; a missing level means the track has no title at that level. */
  titles: Partial<Record<TitleLevel, string>>;
}

export interface TitleSeries {
  /** The series name, stored in persons.title_series: '工程技术'. */
  name: string;
  /** At least one; the first is the series' main track. */
  tracks: TitleTrack[];
}

function five(senior: string, vice: string, mid: string, assistant: string, junior?: string): TitleTrack['titles'] {
  const t: TitleTrack['titles'] = { senior, vice_senior: vice, intermediate: mid, assistant };
  if (junior) t.junior = junior;
  return t;
}
const one = (name: string, titles: TitleTrack['titles']): TitleTrack[] => [{ name, titles }];
/** 艺术: 一级X (正高) … 四级X (助理级). */
const grades = (name: string, title = name): TitleTrack => ({ name, titles: five(`一级${title}`, `二级${title}`, `三级${title}`, `四级${title}`) });
/** 实习指导教师 of 技工院校 and 中等职业学校: 正高级 … 三级 (员级). */
const INSTRUCTOR: TitleTrack = { name: '实习指导教师', titles: five('正高级实习指导教师', '高级实习指导教师', '一级实习指导教师', '二级实习指导教师', '三级实习指导教师') };
/** 司法鉴定人 (人社部发〔2021〕59号): 正高级 … 初级 (助理级), other than 法医 marked with their class, e.g. 初级司法鉴定人（物证类）. */
const forensic = (kind?: string): TitleTrack => {
  const k = kind ? `（${kind}）` : '';
  return { name: `司法鉴定人${k}`, titles: five(`正高级司法鉴定人${k}`, `副高级司法鉴定人${k}`, `中级司法鉴定人${k}`, `初级司法鉴定人${k}`) };
};

/**
 * The 27 series of the national title system (职称系列) with their tracks, as the series' reform
 * guidelines (人社部 and the ministries concerned, 2016–2021) name them; where a guideline sets
 * 初级 as 助理级 only, the series has no 员级. 公共法律服务 is checked against 人社部发〔2021〕59号
 * (公证员 一级…四级; 司法鉴定人 正高级…初级, marked with its class; 法医 主任法医师…法医师). The
 * tracks of 出版, 体育 (运动防护师), 船舶 and 民用航空飞行技术 are written from those guidelines
 * without their text at hand: the README lists them as to be confirmed. The seed's earlier 体育
 * titles 中级教练/初级教练 are 一级教练/二级教练 here (三级教练 员级), as in the 教练员 system.
 */
export const titleSeries: TitleSeries[] = [
  { name: '高等学校教师', tracks: one('教师', five('教授', '副教授', '讲师', '助教')) },
  { name: '哲学社会科学研究', tracks: one('研究', five('研究员', '副研究员', '助理研究员', '研究实习员')) },
  { name: '自然科学研究', tracks: one('研究', five('研究员', '副研究员', '助理研究员', '研究实习员')) },
  { name: '卫生技术', tracks: [
    { name: '医疗', titles: five('主任医师', '副主任医师', '主治医师', '医师', '医士') },
    { name: '药学', titles: five('主任药师', '副主任药师', '主管药师', '药师', '药士') },
    { name: '护理', titles: five('主任护师', '副主任护师', '主管护师', '护师', '护士') },
    { name: '技术', titles: five('主任技师', '副主任技师', '主管技师', '技师', '技士') },
    { name: '中医', titles: five('主任中医师', '副主任中医师', '主治中医师', '中医师', '中医士') },
  ] },
  { name: '工程技术', tracks: one('工程', five('正高级工程师', '高级工程师', '工程师', '助理工程师', '技术员')) },
  { name: '农业技术', tracks: [
    { name: '农艺', titles: five('正高级农艺师', '高级农艺师', '农艺师', '助理农艺师', '农业技术员') },
    { name: '畜牧', titles: five('正高级畜牧师', '高级畜牧师', '畜牧师', '助理畜牧师', '畜牧技术员') },
    { name: '兽医', titles: five('正高级兽医师', '高级兽医师', '兽医师', '助理兽医师', '兽医技术员') },
  ] },
  { name: '新闻', tracks: [
    { name: '记者', titles: five('高级记者', '主任记者', '记者', '助理记者') },
    { name: '编辑', titles: five('高级编辑', '主任编辑', '编辑', '助理编辑') },
  ] },
  { name: '出版', tracks: [
    { name: '编辑', titles: five('编审', '副编审', '编辑', '助理编辑') },
    { name: '技术编辑', titles: five('正高级技术编辑', '高级技术编辑', '技术编辑', '助理技术编辑') },
    { name: '校对', titles: five('正高级校对', '高级校对', '一级校对', '二级校对') },
  ] },
  { name: '图书资料', tracks: one('图书资料', five('研究馆员', '副研究馆员', '馆员', '助理馆员', '管理员')) },
  { name: '文物博物', tracks: one('文物博物', five('研究馆员', '副研究馆员', '馆员', '助理馆员')) },
  { name: '档案', tracks: one('档案', five('研究馆员', '副研究馆员', '馆员', '助理馆员', '管理员')) },
  { name: '工艺美术', tracks: one('工艺美术', five('正高级工艺美术师', '高级工艺美术师', '工艺美术师', '助理工艺美术师', '工艺美术员')) },
  { name: '技工院校教师', tracks: [{ name: '文化技术理论课教师', titles: five('正高级讲师', '高级讲师', '讲师', '助理讲师') }, INSTRUCTOR] },
  { name: '体育', tracks: [
    { name: '教练员', titles: five('国家级教练', '高级教练', '一级教练', '二级教练', '三级教练') },
    { name: '运动防护师', titles: five('正高级运动防护师', '高级运动防护师', '运动防护师', '助理运动防护师') },
  ] },
  { name: '翻译', tracks: one('翻译', five('译审', '一级翻译', '二级翻译', '三级翻译')) },
  { name: '播音主持', tracks: one('播音主持', five('播音指导', '主任播音员主持人', '一级播音员主持人', '二级播音员主持人', '三级播音员主持人')) },
  { name: '会计', tracks: one('会计', five('正高级会计师', '高级会计师', '会计师', '助理会计师')) },
  { name: '统计', tracks: one('统计', five('正高级统计师', '高级统计师', '统计师', '助理统计师')) },
  { name: '经济', tracks: one('经济', five('正高级经济师', '高级经济师', '经济师', '助理经济师')) },
  { name: '审计', tracks: one('审计', five('正高级审计师', '高级审计师', '审计师', '助理审计师')) },
  { name: '艺术', tracks: [
    grades('演员'), grades('演奏员'), grades('编剧'), grades('导演'), grades('指挥'), grades('作曲'),
    { name: '美术', titles: five('一级美术师', '二级美术师', '三级美术师', '美术员') },
    { name: '舞美设计', titles: five('一级舞美设计师', '二级舞美设计师', '三级舞美设计师', '舞美设计员') },
    { name: '舞台技术', titles: five('一级舞台技术', '二级舞台技术', '三级舞台技术', '舞台技术员') },
  ] },
  { name: '公共法律服务', tracks: [
    { name: '公证员', titles: five('一级公证员', '二级公证员', '三级公证员', '四级公证员') },
    forensic(),
    { name: '法医', titles: five('主任法医师', '副主任法医师', '主检法医师', '法医师') },
    forensic('物证类'), forensic('声像资料类'), forensic('环境损害类'),
  ] },
  { name: '中小学教师', tracks: one('教师', five('正高级教师', '高级教师', '一级教师', '二级教师', '三级教师')) },
  { name: '中等职业学校教师', tracks: [{ name: '文化课、专业课教师', titles: five('正高级讲师', '高级讲师', '讲师', '助理讲师') }, INSTRUCTOR] },
  { name: '实验技术', tracks: one('实验技术', five('正高级实验师', '高级实验师', '实验师', '助理实验师', '实验员')) },
  { name: '民用航空飞行技术', tracks: one('飞行员', five('特级飞行员', '一级飞行员', '二级飞行员', '三级飞行员')) },
  { name: '船舶', tracks: [
    { name: '驾驶', titles: five('正高级船长', '船长', '大副', '二副', '三副') },
    { name: '轮机', titles: five('正高级轮机长', '轮机长', '大管轮', '二管轮', '三管轮') },
  ] },
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

/** The tracks of a series ([] for an unknown series). */
export function tracksOf(series: string): TitleTrack[] {
  return byName.get(series)?.tracks ?? [];
}

/**
 * The title of a series at a level in a track ('卫生技术', 'intermediate', '护理' → '主管护师');
 * without a track, the series' first track that has the level. Undefined when none.
 */
export function titleFor(series: string, level: TitleLevel | string, track?: string): string | undefined {
  const tracks = tracksOf(series).filter((t) => track === undefined || t.name === track);
  return tracks.map((t) => t.titles[level as TitleLevel]).find((x) => x !== undefined);
}

/** The titles of a series at a level, each with its track: [{ track: '护理', title: '主管护师' }, …]. */
export function titlesAt(series: string, level: string): Array<{ track: string; title: string }> {
  return tracksOf(series).flatMap((t) => (t.titles[level as TitleLevel] ? [{ track: t.name, title: t.titles[level as TitleLevel]! }] : []));
}

/** The levels that exist in a series (in any of its tracks, or in the one named), highest first. */
export function levelsOf(series: string, track?: string): TitleLevel[] {
  const tracks = tracksOf(series).filter((t) => track === undefined || t.name === track);
  return titleLevels.map((l) => l.value).filter((v) => tracks.some((t) => t.titles[v] !== undefined));
}

/** How a title is compared: surrounding and inner spaces dropped, ASCII brackets as the full-width ones of the catalog. */
export function normaliseTitle(title: string): string {
  return String(title ?? '').replace(/\s+/g, '').replace(/\(/g, '（').replace(/\)/g, '）');
}

export type TitleField = 'title_series' | 'title_level' | 'title';
export type TitleCheck =
  | { ok: true; series: string | null; level: TitleLevel | null; title: string | null; track: string | null }
  | { ok: false; field: TitleField; message: string };

/**
 * A person's title against the catalog (issue 18): the series must exist, the level exist in the
 * series, the title be the series' title at that level in one of its tracks. Empty values are
 * allowed from the end: no title at all, a series alone, a series and a level without the title
 * yet — never a title without its series and level. The title comes back in the catalog's
 * spelling, with its track. Used wherever a title is written: import, title-change request,
 * edit, registration.
 */
export function checkTitle(input: { series?: string | null; level?: string | null; title?: string | null }): TitleCheck {
  const series = input.series?.trim() || null;
  const level = input.level?.trim() || null;
  const title = input.title ? normaliseTitle(input.title) || null : null;
  if (title && (!series || !level)) return { ok: false, field: series ? 'title_level' : 'title_series', message: '填写专业技术职务时须同时选择职称系列和职称级别' };
  if (level && !series) return { ok: false, field: 'title_series', message: '选择职称级别时须同时选择职称系列' };
  if (series && !byName.has(series)) return { ok: false, field: 'title_series', message: `职称系列「${series.slice(0, 20)}」不在职称系列目录中` };
  if (level && !titleLevels.some((l) => l.value === level)) {
    return { ok: false, field: 'title_level', message: `职称级别应为：${titleLevels.map((l) => l.label).join('、')}` };
  }
  if (series && level && !levelsOf(series).includes(level as TitleLevel)) {
    return { ok: false, field: 'title_level', message: `「${series}」系列没有${titleLevelLabel(level)}职称（该系列的级别：${levelsOf(series).map(titleLevelLabel).join('、')}）` };
  }
  if (series && level && title) {
    const at = titlesAt(series, level);
    const hit = at.find((x) => x.title === title);
    if (!hit) {
      const list = at.map((x) => (tracksOf(series).length > 1 ? `${x.title}（${x.track}）` : x.title)).join('、');
      return { ok: false, field: 'title', message: `「${series}」系列${titleLevelLabel(level)}的专业技术职务为：${list}` };
    }
    return { ok: true, series, level: level as TitleLevel, title: hit.title, track: hit.track };
  }
  return { ok: true, series, level: level as TitleLevel | null, title: null, track: null };
}
