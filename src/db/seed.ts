/**
 * 演示数据：the Shandong organisation tree, ~470 units and CE bases, the demo accounts, 20,000
 * professional persons and their hour declarations for 2024–2026, with the rollup, and a few
 * registrations, change requests, training plans and transfers.
 *
 * Deterministic (a fixed-seed PRNG; dates are fixed, not relative to today) and fast: one
 * transaction, every table written by a few `INSERT … SELECT … FROM unnest($1::int[], …)`
 * statements (arrays as bind parameters, so a statement of 10,000 rows is parsed once).
 * Every query passes `{ transaction }`: on the embedded database a query outside the
 * open transaction would wait for it forever.
 */
import type { Sequelize, Transaction } from 'sequelize';
import { shandong, type City, type County } from '../../config/regions.js';
import { levelsOf, titleFor, tracksOf, type Education, type TitleLevel } from '../../config/title-series.js';
import { learningForms, hoursFor, activityYear, AUTHOR_RANKS, DECLARED_HOURS_FIELD, INVENTOR_RANKS, type LearningFormSeed } from '../../config/learning-forms.js';
import { requirementFor, isCompleted } from '../../config/yearly-requirements.js';
import { generateCreditCode, generateIdNumber, type CreditCodeParts } from '../domain/identifiers.js';
import { hashPassword } from '../auth/passwords.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_UNIT_LIXIA, DEMO_UNIT_SHINAN, DEMO_UNIT_SHIZHONG } from './demo-accounts.js';

export interface SeedOptions {
  /** Number of professional persons (default 20,000). */
  persons?: number;
  log?: (s: string) => void;
}

export interface SeedSummary {
  organisations: number;
  persons: number;
  declarations: number;
  ms: number;
}

export const SEED_YEARS = [2024, 2025, 2026] as const;
/** The demo data is "as of" this day: no activity, declaration or decision lies after it. */
const AS_OF = '2026-11-20';

// ------------------------------------------------------------------------------------------
// Deterministic randomness
// ------------------------------------------------------------------------------------------

class Rng {
  private a: number;
  constructor(seed: number) {
    this.a = seed >>> 0;
  }
  /** mulberry32: uniform in [0, 1). */
  next(): number {
    this.a = (this.a + 0x6d2b79f5) >>> 0;
    let t = this.a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(arr: readonly T[]): T {
    return arr[Math.floor(this.next() * arr.length)];
  }
  weighted<T>(pairs: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of pairs) total += w;
    let r = this.next() * total;
    for (const [v, w] of pairs) {
      r -= w;
      if (r < 0) return v;
    }
    return pairs[pairs.length - 1][0];
  }
  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(this.int(0, 9));
    return s;
  }
}

function shuffle<T>(rng: Rng, arr: T[]): T[] {
  for (let i = arr.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [arr[i], arr[j]] = [arr[j], arr[i]];
  }
  return arr;
}

// ------------------------------------------------------------------------------------------
// Names
// ------------------------------------------------------------------------------------------

const SURNAMES: [string, string, number][] = [
  ['王', 'wang', 10], ['张', 'zhang', 9], ['李', 'li', 9], ['刘', 'liu', 7], ['陈', 'chen', 3], ['杨', 'yang', 3],
  ['赵', 'zhao', 3], ['孙', 'sun', 3], ['徐', 'xu', 2], ['马', 'ma', 2], ['高', 'gao', 2], ['于', 'yu', 2],
  ['董', 'dong', 2], ['郭', 'guo', 2], ['宋', 'song', 2], ['周', 'zhou', 2], ['吴', 'wu', 1.5], ['韩', 'han', 1.5],
  ['朱', 'zhu', 1.5], ['胡', 'hu', 1], ['曹', 'cao', 1], ['孟', 'meng', 1], ['崔', 'cui', 1], ['姜', 'jiang', 1],
  ['田', 'tian', 1], ['许', 'xu', 1], ['袁', 'yuan', 1], ['郑', 'zheng', 1], ['秦', 'qin', 0.8], ['魏', 'wei', 1],
  ['程', 'cheng', 0.8], ['梁', 'liang', 0.8], ['付', 'fu', 0.8], ['邢', 'xing', 0.6], ['尹', 'yin', 0.6],
  ['石', 'shi', 0.6], ['范', 'fan', 0.6], ['吕', 'lv', 0.6], ['丁', 'ding', 0.6], ['薛', 'xue', 0.6],
  ['侯', 'hou', 0.6], ['贾', 'jia', 0.6], ['谢', 'xie', 0.5], ['冯', 'feng', 0.6], ['房', 'fang', 0.4],
  ['蒋', 'jiang', 0.4], ['颜', 'yan', 0.3], ['孔', 'kong', 0.4], ['庞', 'pang', 0.3], ['牟', 'mou', 0.3],
  ['鲁', 'lu', 0.3], ['毕', 'bi', 0.3], ['战', 'zhan', 0.2], ['栾', 'luan', 0.2], ['臧', 'zang', 0.2],
];
const SURNAME_PAIRS = SURNAMES.map(([s, p, w]) => [[s, p] as const, w] as const);

const MALE_CHARS: [string, string][] = [
  ['伟', 'wei'], ['强', 'qiang'], ['磊', 'lei'], ['军', 'jun'], ['勇', 'yong'], ['杰', 'jie'], ['涛', 'tao'],
  ['斌', 'bin'], ['超', 'chao'], ['明', 'ming'], ['刚', 'gang'], ['平', 'ping'], ['辉', 'hui'], ['鹏', 'peng'],
  ['华', 'hua'], ['飞', 'fei'], ['鑫', 'xin'], ['波', 'bo'], ['宁', 'ning'], ['建', 'jian'], ['国', 'guo'],
  ['峰', 'feng'], ['浩', 'hao'], ['凯', 'kai'], ['亮', 'liang'], ['东', 'dong'], ['文', 'wen'], ['博', 'bo'],
  ['晨', 'chen'], ['宇', 'yu'], ['志', 'zhi'], ['海', 'hai'], ['林', 'lin'], ['成', 'cheng'], ['帅', 'shuai'],
  ['龙', 'long'], ['健', 'jian'], ['永', 'yong'], ['振', 'zhen'], ['新', 'xin'], ['庆', 'qing'], ['学', 'xue'],
  ['兴', 'xing'], ['德', 'de'], ['俊', 'jun'], ['毅', 'yi'], ['昊', 'hao'], ['泽', 'ze'], ['坤', 'kun'],
  ['广', 'guang'], ['春', 'chun'], ['金', 'jin'], ['立', 'li'], ['晓', 'xiao'], ['书', 'shu'], ['瑞', 'rui'],
];
const FEMALE_CHARS: [string, string][] = [
  ['芳', 'fang'], ['娜', 'na'], ['敏', 'min'], ['静', 'jing'], ['丽', 'li'], ['艳', 'yan'], ['娟', 'juan'],
  ['霞', 'xia'], ['秀', 'xiu'], ['玲', 'ling'], ['燕', 'yan'], ['红', 'hong'], ['萍', 'ping'], ['婷', 'ting'],
  ['雪', 'xue'], ['慧', 'hui'], ['莉', 'li'], ['倩', 'qian'], ['琳', 'lin'], ['颖', 'ying'], ['洁', 'jie'],
  ['佳', 'jia'], ['欣', 'xin'], ['悦', 'yue'], ['晶', 'jing'], ['丹', 'dan'], ['蕾', 'lei'], ['璐', 'lu'],
  ['月', 'yue'], ['梅', 'mei'], ['琴', 'qin'], ['晓', 'xiao'], ['文', 'wen'], ['春', 'chun'], ['玉', 'yu'],
  ['雨', 'yu'], ['思', 'si'], ['凤', 'feng'], ['兰', 'lan'], ['美', 'mei'], ['荣', 'rong'], ['楠', 'nan'],
  ['萌', 'meng'], ['瑶', 'yao'], ['彤', 'tong'], ['宁', 'ning'], ['书', 'shu'], ['瑞', 'rui'],
];

function personName(rng: Rng, gender: 'M' | 'F'): { name: string; pinyin: string } {
  const [s, sp] = rng.weighted(SURNAME_PAIRS);
  const pool = gender === 'M' ? MALE_CHARS : FEMALE_CHARS;
  const [c1, p1] = rng.pick(pool);
  if (rng.chance(0.4)) return { name: s + c1, pinyin: sp + p1 };
  let second = rng.pick(pool);
  if (second[0] === c1) second = rng.pick(pool);
  return { name: s + c1 + second[0], pinyin: sp + p1 + second[1] };
}

const MOBILE_PREFIXES = ['130', '131', '132', '133', '135', '136', '137', '138', '139', '150', '151', '152', '153',
  '155', '156', '157', '158', '159', '166', '170', '176', '177', '178', '180', '181', '182', '183', '185',
  '186', '187', '188', '189', '191', '198', '199'];
function mobile(rng: Rng): string {
  return rng.pick(MOBILE_PREFIXES) + rng.digits(8);
}
const EMAIL_DOMAINS = ['example.com', 'example.net', 'example.org'];

const ROADS = ['人民路', '建设路', '新华路', '中山路', '和平路', '胜利街', '泰山路', '黄河路', '长江路', '府前街',
  '东风路', '文化路', '解放路', '工业路', '振兴街', '青年路', '科技路', '花园路', '齐鲁大道', '经十路'];

// ------------------------------------------------------------------------------------------
// Organisations
// ------------------------------------------------------------------------------------------

type OrgKind = 'province_hr' | 'city_hr' | 'county_hr' | 'unit' | 'ce_base' | 'department';
type Category =
  | 'hospital' | 'cdc' | 'school' | 'vocational' | 'university' | 'company' | 'design' | 'agri' | 'media'
  | 'research' | 'finance' | 'culture' | 'law' | 'sports' | 'art';

interface Org {
  id: number;
  parentId: number | null;
  kind: OrgKind;
  name: string;
  regionCode: string | null;
  creditCode: string | null;
  path: string;
  depth: number;
  contactName: string | null;
  mobile: string | null;
  phone: string | null;
  email: string | null;
  address: string | null;
  status: 'pending' | 'active' | 'rejected' | 'disabled';
  city: City | null;
  county: County | null;
  category?: Category;
  /** Bureau (HR org) that the organisation is registered under. */
  bureauId?: number;
}

const SERIES_BY_CATEGORY: Record<Category, [string, number][]> = {
  hospital: [['卫生技术', 85], ['会计', 4], ['经济', 3], ['工程技术', 3], ['图书资料', 1], ['档案', 1], ['统计', 1], ['实验技术', 2]],
  cdc: [['卫生技术', 75], ['实验技术', 15], ['会计', 5], ['统计', 5]],
  school: [['中小学教师', 92], ['会计', 3], ['实验技术', 3], ['图书资料', 2]],
  vocational: [['中等职业学校教师', 60], ['技工院校教师', 30], ['会计', 5], ['实验技术', 5]],
  university: [['高等学校教师', 70], ['实验技术', 10], ['自然科学研究', 5], ['哲学社会科学研究', 5], ['图书资料', 4], ['档案', 2], ['会计', 2], ['出版', 2]],
  company: [['工程技术', 65], ['经济', 15], ['会计', 12], ['统计', 3], ['审计', 3], ['翻译', 2], ['船舶', 1], ['民用航空飞行技术', 0.5]],
  design: [['工程技术', 85], ['经济', 5], ['会计', 5], ['审计', 5]],
  agri: [['农业技术', 85], ['会计', 5], ['经济', 5], ['统计', 5]],
  media: [['新闻', 50], ['播音主持', 25], ['出版', 15], ['工程技术', 5], ['艺术', 5]],
  research: [['自然科学研究', 60], ['工程技术', 25], ['实验技术', 10], ['哲学社会科学研究', 5]],
  finance: [['经济', 55], ['会计', 35], ['审计', 5], ['统计', 5]],
  culture: [['图书资料', 40], ['文物博物', 35], ['档案', 20], ['工艺美术', 5]],
  law: [['公共法律服务', 80], ['会计', 10], ['翻译', 10]],
  sports: [['体育', 80], ['卫生技术', 10], ['会计', 10]],
  art: [['艺术', 70], ['工艺美术', 20], ['播音主持', 10]],
};

/** How a series' persons spread over its tracks (a hospital has more nurses than pharmacists); other series: evenly. */
const TRACK_WEIGHTS: Record<string, Record<string, number>> = {
  卫生技术: { 医疗: 45, 护理: 35, 药学: 8, 技术: 10, 中医: 2 },
  农业技术: { 农艺: 60, 畜牧: 25, 兽医: 15 },
  新闻: { 记者: 55, 编辑: 45 },
  出版: { 编辑: 80, 技术编辑: 10, 校对: 10 },
  技工院校教师: { 文化技术理论课教师: 75, 实习指导教师: 25 },
  中等职业学校教师: { '文化课、专业课教师': 85, 实习指导教师: 15 },
  体育: { 教练员: 85, 运动防护师: 15 },
  艺术: { 演员: 40, 演奏员: 20, 编剧: 4, 导演: 6, 指挥: 2, 作曲: 3, 美术: 10, 舞美设计: 5, 舞台技术: 10 },
  公共法律服务: { 公证员: 55, 司法鉴定人: 10, 法医: 15, '司法鉴定人（物证类）': 12, '司法鉴定人（声像资料类）': 5, '司法鉴定人（环境损害类）': 3 },
};

const SIZE_BY_CATEGORY: Record<Category, number> = {
  university: 14, hospital: 9, company: 5, research: 4, design: 3, school: 3, vocational: 3, finance: 3,
  cdc: 2, media: 2, agri: 1.5, culture: 1, art: 1, sports: 0.8, law: 0.6,
};

const EDUCATION_BY_CATEGORY: Partial<Record<Category, [Education, number][]>> = {
  university: [['doctor', 45], ['master', 35], ['bachelor', 20]],
  research: [['doctor', 30], ['master', 45], ['bachelor', 25]],
  hospital: [['doctor', 8], ['master', 32], ['bachelor', 45], ['college', 13], ['secondary', 2]],
  cdc: [['master', 25], ['bachelor', 55], ['college', 20]],
  school: [['master', 15], ['bachelor', 75], ['college', 10]],
  company: [['master', 20], ['bachelor', 58], ['college', 17], ['secondary', 3], ['other', 2]],
  design: [['master', 30], ['bachelor', 60], ['college', 10]],
  agri: [['master', 5], ['bachelor', 50], ['college', 33], ['secondary', 10], ['other', 2]],
};
const EDUCATION_DEFAULT: [Education, number][] = [['master', 15], ['bachelor', 60], ['college', 20], ['other', 5]];

/** Well-known employers, placed in their districts (济南 / 青岛) or cities. */
const NOTABLE_UNITS: Record<string, [string, Category][]> = {
  '370102': [[DEMO_UNIT_LIXIA, 'hospital'], ['山东师范大学', 'university'], ['山东大学齐鲁医院', 'hospital'], ['山东省千佛山医院', 'hospital'],
    ['山东省建筑设计研究院有限公司', 'design'], ['山东广播电视台', 'media'], ['济南市历下区律师公证服务中心', 'law']],
  '370103': [[DEMO_UNIT_SHIZHONG, 'hospital'], ['济南大学', 'university'], ['山东省实验中学', 'school'], ['山东省体育中心', 'sports']],
  '370104': [['山东省立医院', 'hospital'], ['济南市槐荫人民医院', 'hospital'], ['山东省歌舞剧院', 'art']],
  '370105': [['山东省交通规划设计院集团有限公司', 'design'], ['济南市第五人民医院', 'hospital']],
  '370112': [['山东大学', 'university'], ['浪潮集团有限公司', 'company'], ['山东省农业科学院', 'research'], ['中国重型汽车集团有限公司', 'company']],
  '370113': [['山东中医药大学', 'university'], ['山东艺术学院', 'university']],
  '370114': [['济南二机床集团有限公司', 'company']],
  '370116': [['山东钢铁股份有限公司莱芜分公司', 'company']],
  '370202': [[DEMO_UNIT_SHINAN, 'company'], ['中国海洋大学', 'university'], ['青岛大学附属医院', 'hospital'], ['青岛啤酒股份有限公司', 'company'],
    ['青岛大学', 'university'], ['青岛市图书馆', 'culture']],
  '370203': [['青岛市市立医院', 'hospital'], ['青岛市博物馆', 'culture']],
  '370211': [['中国石油大学（华东）', 'university'], ['山东科技大学', 'university']],
  '370212': [['海尔集团公司', 'company'], ['青岛科技大学', 'university'], ['崂山实验室', 'research']],
  '370213': [['青岛市第八人民医院', 'hospital']],
  '370214': [['中车青岛四方机车车辆股份有限公司', 'company']],
  '370215': [['青岛酷特智能股份有限公司', 'company']],
  '370300': [['山东理工大学', 'university'], ['淄博市中心医院', 'hospital'], ['中国石化齐鲁石油化工公司', 'company']],
  '370400': [['枣庄学院', 'university'], ['枣庄矿业（集团）有限责任公司', 'company']],
  '370500': [['中国石化胜利油田分公司', 'company'], ['东营市人民医院', 'hospital']],
  '370600': [['烟台大学', 'university'], ['万华化学集团股份有限公司', 'company'], ['烟台毓璜顶医院', 'hospital']],
  '370700': [['潍柴动力股份有限公司', 'company'], ['潍坊学院', 'university'], ['潍坊市人民医院', 'hospital']],
  '370800': [['曲阜师范大学', 'university'], ['济宁医学院附属医院', 'hospital']],
  '370900': [['山东农业大学', 'university'], ['泰安市中心医院', 'hospital']],
  '371000': [['威高集团有限公司', 'company'], ['哈尔滨工业大学（威海）', 'university']],
  '371100': [['日照港集团有限公司', 'company'], ['日照市人民医院', 'hospital']],
  '371300': [['临沂大学', 'university'], ['临沂市人民医院', 'hospital']],
  '371400': [['德州学院', 'university'], ['德州市人民医院', 'hospital']],
  '371500': [['聊城大学', 'university'], ['聊城市人民医院', 'hospital']],
  '371600': [['滨州医学院', 'university'], ['滨州医学院附属医院', 'hospital']],
  '371700': [['菏泽学院', 'university'], ['菏泽市立医院', 'hospital']],
};

const BRANDS = ['华信', '恒通', '金诺', '正泰', '海川', '瑞丰', '远大', '中瑞', '宏达', '齐鲁', '德润', '同圆', '天元', '博远',
  '新智', '汇通', '明德', '鼎盛', '华宇', '东岳', '蓝海', '鲁信', '圣元', '泰和'];
const INDUSTRIES: [string, Category][] = [['电子科技有限公司', 'company'], ['建设工程有限公司', 'company'], ['机械制造有限公司', 'company'],
  ['软件技术有限公司', 'company'], ['生物医药股份有限公司', 'company'], ['新材料科技有限公司', 'company'], ['环保科技有限公司', 'company'],
  ['智能装备有限公司', 'company'], ['工程咨询有限公司', 'design'], ['化工有限公司', 'company'], ['会计师事务所有限公司', 'finance'],
  ['规划设计研究院有限公司', 'design']];
/** Districts of the urban core: no agricultural stations there. */
const URBAN = new Set(['370102', '370103', '370104', '370105', '370202', '370203', '370213']);

function countyUnitNames(city: City, county: County, rng: Rng): [string, Category][] {
  const p = county.type === 'district' ? city.shortName + county.shortName : county.shortName;
  const stem = city.shortName.replace(/市$/, '');
  const list: [string, Category][] = [
    [`${p}人民医院`, 'hospital'], [`${p}中医医院`, 'hospital'], [`${p}妇幼保健院`, 'hospital'],
    [`${p}疾病预防控制中心`, 'cdc'], [`${p}实验小学`, 'school'], [`${p}第一中学`, 'school'], [`${p}实验中学`, 'school'],
    [`${p}职业中等专业学校`, 'vocational'], [`${p}图书馆`, 'culture'], [`${p}融媒体中心`, 'media'],
    [URBAN.has(county.code) ? `${p}市政工程设计院` : `${p}农业技术推广中心`, URBAN.has(county.code) ? 'design' : 'agri'],
    [`${stem}农村商业银行股份有限公司${county.shortName.replace(/[区县市]$/, '')}支行`, 'finance'],
  ];
  for (let i = 0; i < 3; i++) {
    const [industry, cat] = rng.pick(INDUSTRIES);
    list.push([`${stem}${rng.pick(BRANDS)}${industry}`, cat]);
  }
  if (!URBAN.has(county.code)) list.push([`${p}畜牧兽医服务中心`, 'agri']);
  return list;
}

function cityUnitNames(city: City, rng: Rng): [string, Category][] {
  const c = city.shortName;
  const stem = c.replace(/市$/, '');
  const list: [string, Category][] = [
    [`${c}中医医院`, 'hospital'], [`${c}妇幼保健院`, 'hospital'], [`${c}疾病预防控制中心`, 'cdc'],
    [`${c}第一中学`, 'school'], [`${c}实验小学`, 'school'], [`${c}技师学院`, 'vocational'],
    [`${c}农业科学研究院`, 'agri'], [`${c}建筑设计研究院有限公司`, 'design'], [`${c}图书馆`, 'culture'],
    [`${c}广播电视台`, 'media'], [`${stem}市公证处`.replace('市市', '市'), 'law'],
  ];
  for (let i = 0; i < 2; i++) {
    const [industry, cat] = rng.pick(INDUSTRIES);
    list.push([`${stem}${rng.pick(BRANDS)}${industry}`, cat]);
  }
  return list;
}

const CE_BASES: [string, string | null][] = [
  ['山东省专业技术人员继续教育基地（山东大学）', null],
  ['山东省专业技术人员继续教育基地（山东师范大学）', null],
  ['山东省专业技术人员继续教育基地（中国海洋大学）', null],
  ['山东省专业技术人员继续教育基地（山东农业大学）', null],
  ['山东省专业技术人员继续教育基地（山东第一医科大学）', null],
  ['济南市专业技术人员继续教育基地（济南大学）', '370100'],
  ['青岛市专业技术人员继续教育基地（青岛大学）', '370200'],
  ['青岛市专业技术人员继续教育基地（青岛科技大学）', '370200'],
  ['淄博市专业技术人员继续教育基地（山东理工大学）', '370300'],
  ['烟台市专业技术人员继续教育基地（烟台大学）', '370600'],
  ['潍坊市专业技术人员继续教育基地（潍坊学院）', '370700'],
  ['临沂市专业技术人员继续教育基地（临沂大学）', '371300'],
];

// ------------------------------------------------------------------------------------------
// Activities
// ------------------------------------------------------------------------------------------

const TOPICS: Record<string, string[]> = {
  '卫生技术': ['临床诊疗规范与合理用药', '急危重症救治技术', '医院感染预防与控制', '护理质量与安全管理', '医学影像新技术'],
  '工程技术': ['建设工程质量安全管理', '智能制造与工业互联网', 'BIM技术应用', '新能源技术', '安全生产与应急管理'],
  '中小学教师': ['新课程标准解读', '信息技术与学科教学融合', '班主任工作能力提升', '中小学心理健康教育'],
  '高等学校教师': ['高校教师教学能力提升', '课程思政建设', '科研项目申报与管理', '一流课程建设'],
  '农业技术': ['现代农业技术推广', '粮食作物绿色高产栽培', '设施蔬菜病虫害绿色防控', '畜禽健康养殖技术'],
  '会计': ['企业会计准则与税收政策', '管理会计实务', '内部控制与风险管理', '政府会计制度'],
  '经济': ['数字经济与企业管理', '人力资源管理实务', '金融风险防控', '项目投资评估'],
};
const DEFAULT_TOPICS = ['专业技术能力提升', '行业新技术新标准', '职业道德与业务规范', '专业前沿知识'];
const SOCIETIES: Record<string, [string, string]> = {
  '卫生技术': ['中华医学会', '山东省医学会'],
  '工程技术': ['中国土木工程学会', '山东省土木建筑学会'],
  '中小学教师': ['中国教育学会', '山东省教育学会'],
  '高等学校教师': ['中国高等教育学会', '山东省高等教育学会'],
  '农业技术': ['中国农学会', '山东省农学会'],
  '会计': ['中国会计学会', '山东省会计学会'],
  '经济': ['中国经济学会', '山东省经济学会'],
};
const PUBLIC_TOPICS = ['专业技术人员职业道德与诚信建设', '数字经济与创新驱动发展', '法治素养提升', '专业技术人员心理健康与压力管理',
  '人工智能与数字化转型', '知识产权保护与科技成果转化', '乡村振兴与区域协调发展', '生态文明建设与绿色发展'];
const ADVANCED_PLACES = ['山东大学齐鲁医院', '北京协和医院', '复旦大学', '清华大学', '浙江大学', '中国农业大学', '山东大学', '上海交通大学'];
const THINGS = ['智能巡检机器人', '医用输液监测装置', '混凝土裂缝检测', '小麦抗旱育种', '污水深度处理', '锂电池热管理', '教学演示装置',
  '高效换热器', '海洋环境监测浮标', '中药有效成分提取'];
const METHODS = ['装置', '方法', '系统及方法', '制备方法'];
const PAPER_X = ['深度学习', '大数据', '有限元分析', '循证医学', '核心素养', '物联网', '遥感监测', '多中心临床数据', '数字孪生'];
const PAPER_Y = ['风险评估', '质量控制', '教学改革', '优化设计', '疗效分析', '产量预测', '绩效管理', '应用'];
const JOURNALS = ['中华医学杂志', '土木工程学报', '山东大学学报', '齐鲁医学杂志', '山东农业科学', '会计研究', '中国教育学刊', '山东社会科学',
  '机械工程学报', '中国海洋大学学报'];
const FUNDERS: [string, string][] = [['国家自然科学基金委员会', '国家级'], ['山东省科学技术厅', '省部级'], ['山东省教育厅', '省部级'],
  ['山东省卫生健康委员会', '省部级'], ['济南市科学技术局', '市厅级'], ['青岛市科学技术局', '市厅级']];
const OVERSEAS: [string, string][] = [['赴德国职业教育师资培训', '德国'], ['赴新加坡公共管理研修', '新加坡'], ['赴日本医院管理研修', '日本'],
  ['赴美国高校访问研修', '美国'], ['赴芬兰基础教育研修', '芬兰'], ['赴香港特别行政区金融管理研修', '中国香港']];
const SECONDMENT_POSTS = ['副院长（挂职）', '副校长（挂职）', '技术副总经理（挂职）', '科技副镇长', '乡村振兴服务队队员', '驻村第一书记'];
const REJECT_REASONS = ['证明材料不清晰', '证明材料与申报内容不一致', '学习时间与工作时间冲突，请核实', '缺少主办单位盖章', '重复申报',
  '超出该学习形式年度学时上限', '申报学时计算有误，请按规定折算后重新申报'];
const VERIFY_REASONS = ['审验发现证明材料系伪造', '审验发现重复认定', '审验发现培训机构不具备资质', '审验发现学习时间与出勤记录不符'];

// ------------------------------------------------------------------------------------------
// Dates
// ------------------------------------------------------------------------------------------

const DAY = 86_400_000;
const ymdCache = new Map<number, string>();
function ymd(ms: number): string {
  const day = Math.floor(ms / DAY);
  let s = ymdCache.get(day);
  if (s === undefined) {
    s = new Date(day * DAY).toISOString().slice(0, 10);
    ymdCache.set(day, s);
  }
  return s;
}
function utc(s: string): number {
  return Date.parse(`${s}T00:00:00Z`);
}
const AS_OF_MS = utc(AS_OF);
/** A timestamp in China time (09:00–17:59) on the given day. */
function stamp(rng: Rng, dayMs: number): string {
  return `${ymd(Math.min(dayMs, AS_OF_MS))} ${String(rng.int(9, 17)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}+08`;
}

// ------------------------------------------------------------------------------------------
// Bulk insert helper
// ------------------------------------------------------------------------------------------

type ColType = 'int' | 'bigint' | 'smallint' | 'text' | 'bool' | 'numeric' | 'date' | 'timestamptz' | 'jsonb' | 'text[]';

async function insertRows(
  sequelize: Sequelize,
  transaction: Transaction,
  table: string,
  cols: [string, ColType][],
  rows: unknown[][],
  chunk = 10_000,
): Promise<void> {
  if (rows.length === 0) return;
  const arrayType = (t: ColType) => (t === 'jsonb' || t === 'text[]' ? 'text[]' : `${t}[]`);
  const select = cols.map(([, t], i) => (t === 'jsonb' || t === 'text[]' ? `c${i}::${t}` : `c${i}`)).join(', ');
  const sql = `INSERT INTO ${table} (${cols.map(([n]) => n).join(', ')}) SELECT ${select} FROM unnest(${cols
    .map(([, t], i) => `$${i + 1}::${arrayType(t)}`)
    .join(', ')}) AS t(${cols.map((_, i) => `c${i}`).join(', ')})`;
  for (let start = 0; start < rows.length; start += chunk) {
    const part = rows.slice(start, start + chunk);
    const bind = cols.map(([, t], i) =>
      part.map((r) => {
        const v = r[i];
        if (v === undefined || v === null) return null;
        if (t === 'jsonb' && typeof v !== 'string') return JSON.stringify(v);
        return v;
      }),
    );
    await sequelize.query(sql, { bind, transaction });
  }
}

// ------------------------------------------------------------------------------------------
// The seed
// ------------------------------------------------------------------------------------------

export async function databaseIsEmpty(sequelize: Sequelize): Promise<boolean> {
  const [rows] = await sequelize.query('SELECT EXISTS (SELECT 1 FROM organisations) AS present');
  return !(rows as { present: boolean }[])[0]?.present;
}

interface PersonRow {
  id: number;
  accountId: number | null;
  idNumber: string;
  name: string;
  pinyin: string;
  gender: 'M' | 'F';
  birthDate: string;
  unit: Org;
  series: string | null;
  /** The track inside the series (not stored: the title names it). */
  track: string | null;
  level: TitleLevel | null;
  title: string | null;
  education: Education;
  mobile: string | null;
  email: string | null;
  status: 'active' | 'pending' | 'rejected';
}

interface Decl {
  person: PersonRow;
  year: number;
  subject: 'public' | 'professional';
  compulsory: boolean | null;
  form: LearningFormSeed & { id: number };
  channel: 'person' | 'ce_base' | 'unit' | 'hr';
  ceBaseId: number | null;
  declaredBy: number | null;
  activityName: string;
  details: Record<string, unknown>;
  hours: number;
  approvedHours: number | null;
  keyReview: boolean;
  status: 'pending_unit' | 'pending' | 'approved' | 'rejected' | 'withdrawn' | 'verification_failed';
  reason: string | null;
  decidedBy: number | null;
  decidedAt: string | null;
  /** 学时审验 (a second step, migration 011): why, who and when a verification failed. */
  verificationReason?: string | null;
  verifiedBy?: number | null;
  verifiedAt?: string | null;
  createdAt: string;
  updatedAt: string;
  /** Day (ms) the declaration was filed; decisions come after it. */
  createdMs: number;
}

export async function seedDemoData(sequelize: Sequelize, opts: SeedOptions = {}): Promise<SeedSummary> {
  const t0 = Date.now();
  const log = opts.log ?? (() => {});
  const personTotal = Math.max(1, Math.floor(opts.persons ?? 20_000));
  const rng = new Rng(20260101);

  const passwordHash = await hashPassword(DEMO_PASSWORD);
  log(`密码哈希完成（${Date.now() - t0} ms）`);

  // ---------------------------------------------------------------- organisations (in memory)
  const orgs: Org[] = [];
  let creditSeed = 0;
  // Every code passes every GB 32100 rule: the authority and type fit the organisation (HR
  // bureaus 11 机关, public institutions 12 事业单位, companies 91 企业, notaries 32 公证处), the
  // region is the registering bureau's, the inner organisation code carries its GB 11714 check.
  const nextCredit = (parts: CreditCodeParts) => generateCreditCode(1_000_000 + (creditSeed++) * 7_919 + rng.int(0, 7_000), parts);
  const bureauCredit = (region: string) => nextCredit({ authority: '1', type: '1', region });
  const unitCredit = (category: Category | undefined, region: string) => nextCredit(
    category === 'company' || category === 'design' || category === 'finance' ? { authority: '9', type: '1', region }
      : category === 'law' ? { authority: '3', type: '2', region } : { authority: '1', type: '2', region });
  const add = (o: Omit<Org, 'id' | 'path' | 'depth'>, parent: Org | null): Org => {
    const id = orgs.length + 1;
    const org: Org = { ...o, id, path: `${parent ? parent.path : '/'}${id}/`, depth: parent ? parent.depth + 1 : 0 };
    orgs.push(org);
    return org;
  };
  const phoneOf = (city: City | null) => `${city?.areaCode ?? '0531'}-${rng.pick(['8', '6', '5'])}${rng.digits(7)}`;
  const addressOf = (city: City | null, county: County | null) =>
    `${shandong.shortName}${city?.shortName ?? '济南市'}${county?.shortName ?? ''}${rng.pick(ROADS)}${rng.int(1, 300)}号`;
  const contact = () => personName(rng, rng.chance(0.5) ? 'M' : 'F').name;

  const provinceOrg = add({
    parentId: null, kind: 'province_hr', name: shandong.name, regionCode: shandong.code, creditCode: bureauCredit(shandong.code),
    contactName: contact(), mobile: mobile(rng), phone: '0531-86913000', email: 'office@hrss-sd.example.com',
    address: '山东省济南市历下区二环东路4000号', status: 'active', city: null, county: null,
  }, null);

  const cityOrgs = new Map<string, Org>();
  for (const city of shandong.cities) {
    cityOrgs.set(city.code, add({
      parentId: provinceOrg.id, kind: 'city_hr', name: city.name, regionCode: city.code, creditCode: bureauCredit(city.code),
      contactName: contact(), mobile: mobile(rng), phone: phoneOf(city), email: `office@hrss-${city.pinyin}.example.com`,
      address: addressOf(city, null), status: 'active', city, county: null,
    }, provinceOrg));
  }
  const countyOrgs = new Map<string, Org>();
  for (const city of shandong.cities) {
    for (const county of city.counties) {
      countyOrgs.set(county.code, add({
        parentId: cityOrgs.get(city.code)!.id, kind: 'county_hr', name: county.name, regionCode: county.code,
        creditCode: bureauCredit(county.code), contactName: contact(), mobile: mobile(rng), phone: phoneOf(city),
        email: `office@hrss-${county.pinyin}.example.com`, address: addressOf(city, county), status: 'active', city, county,
      }, cityOrgs.get(city.code)!));
    }
  }
  const jinan = cityOrgs.get('370100')!;
  const departments = new Map<string, Org>();
  for (const name of ['专业技术人员管理处', '办公室']) {
    departments.set(name, add({
      parentId: jinan.id, kind: 'department', name, regionCode: '370100', creditCode: null, contactName: contact(),
      mobile: mobile(rng), phone: phoneOf(jinan.city), email: null, address: jinan.address, status: 'active',
      city: jinan.city, county: null,
    }, jinan));
  }
  const ceBases: Org[] = [];
  for (const [name, cityCode] of CE_BASES) {
    const parent = cityCode ? cityOrgs.get(cityCode)! : provinceOrg;
    ceBases.push(add({
      parentId: parent.id, kind: 'ce_base', name, regionCode: cityCode ?? shandong.code, creditCode: unitCredit(undefined, cityCode ?? shandong.code),
      contactName: contact(), mobile: mobile(rng), phone: phoneOf(parent.city), email: `jxjy${orgs.length + 1}@example.com`,
      address: addressOf(parent.city ?? shandong.cities[0], null), status: 'active', city: parent.city, county: null,
      bureauId: parent.id,
    }, parent));
  }

  const unitNames = new Set<string>();
  const units: Org[] = [];
  const addUnit = (name: string, category: Category, bureau: Org, status: Org['status'] = 'active'): Org | undefined => {
    if (unitNames.has(name)) return undefined;
    unitNames.add(name);
    const u = add({
      parentId: bureau.id, kind: 'unit', name, regionCode: bureau.regionCode, creditCode: unitCredit(category, bureau.regionCode!),
      contactName: contact(), mobile: mobile(rng), phone: phoneOf(bureau.city), email: `hr${orgs.length + 1}@example.com`,
      address: addressOf(bureau.city, bureau.county), status, city: bureau.city, county: bureau.county, category,
      bureauId: bureau.id,
    }, bureau);
    if (status === 'active') units.push(u);
    return u;
  };
  for (const city of shandong.cities) {
    const cityOrg = cityOrgs.get(city.code)!;
    if (city.counties.length) {
      for (const county of city.counties) {
        const bureau = countyOrgs.get(county.code)!;
        for (const [n, c] of NOTABLE_UNITS[county.code] ?? []) addUnit(n, c, bureau);
        for (const [n, c] of countyUnitNames(city, county, rng)) addUnit(n, c, bureau);
      }
      // A few city-level employers registered directly with the city bureau.
      for (const [n, c] of cityUnitNames(city, rng).slice(6, 9)) addUnit(n, c, cityOrg);
    } else {
      for (const [n, c] of NOTABLE_UNITS[city.code] ?? []) addUnit(n, c, cityOrg);
      for (const [n, c] of cityUnitNames(city, rng)) addUnit(n, c, cityOrg);
    }
  }
  const unitByName = (n: string) => {
    const u = units.find((x) => x.name === n);
    if (!u) throw new Error(`seed: unit ${n} missing`);
    return u;
  };
  const lixia = countyOrgs.get('370102')!;
  const shizhong = countyOrgs.get('370103')!;
  const shinan = countyOrgs.get('370202')!;
  const shibei = countyOrgs.get('370203')!;
  const huaiyin = countyOrgs.get('370104')!;
  // Organisations waiting for (or refused) registration.
  const pendingUnits = [
    addUnit('济南泉源智能科技有限公司', 'company', lixia, 'pending')!,
    addUnit('济南明湖建筑工程有限公司', 'company', shizhong, 'pending')!,
    addUnit('青岛蓝海海洋生物科技有限公司', 'company', shinan, 'pending')!,
  ];
  const rejectedUnit = addUnit('济南鼎信财务咨询有限公司', 'finance', huaiyin, 'rejected')!;
  const pendingBase = add({
    parentId: provinceOrg.id, kind: 'ce_base', name: '山东省专业技术人员继续教育基地（山东建筑大学）', regionCode: shandong.code,
    creditCode: unitCredit(undefined, shandong.code), contactName: contact(), mobile: mobile(rng), phone: phoneOf(null),
    email: `jxjy${orgs.length + 1}@example.com`, address: '山东省济南市历城区凤鸣路1000号', status: 'pending', city: null, county: null,
    bureauId: provinceOrg.id,
  }, provinceOrg);

  let personCount = 0;
  let declarationCount = 0;
  await sequelize.transaction(async (transaction) => {
    const q = (sql: string, bind?: unknown[]) => sequelize.query(sql, { bind, transaction });

    await insertRows(sequelize, transaction, 'organisations', [
      ['id', 'int'], ['parent_id', 'int'], ['kind', 'text'], ['name', 'text'], ['region_code', 'text'], ['credit_code', 'text'],
      ['path', 'text'], ['depth', 'smallint'], ['contact_name', 'text'], ['mobile', 'text'], ['phone', 'text'], ['email', 'text'],
      ['address', 'text'], ['status', 'text'],
    ], orgs.map((o) => [o.id, o.parentId, o.kind, o.name, o.regionCode, o.creditCode, o.path, o.depth, o.contactName, o.mobile,
      o.phone, o.email, o.address, o.status]));
    log(`机构：${orgs.length} 个（用人单位 ${units.length} 个，继续教育基地 ${ceBases.length + 1} 个）`);

    // ------------------------------------------------------------ accounts and admins
    const orgByName = (n: string) => {
      const o = orgs.find((x) => x.name === n);
      if (!o) throw new Error(`seed: organisation ${n} missing`);
      return o;
    };
    const accountRows: unknown[][] = [];
    const adminRows: unknown[][] = [];
    const accountIdOf = new Map<string, number>();
    DEMO_ACCOUNTS.forEach((a, i) => {
      const id = i + 1;
      accountIdOf.set(a.idNumber, id);
      accountRows.push([id, a.idNumber, a.name, passwordHash, a.mobile, a.email, null]);
      if (a.kind === 'admin') {
        const org = orgByName(a.organisationName);
        const dep = a.departmentName ? departments.get(a.departmentName)!.id : null;
        adminRows.push([adminRows.length + 1, id, org.id, org.path, dep, a.isSuper]);
      }
    });
    await insertRows(sequelize, transaction, 'accounts', [
      ['id', 'int'], ['id_number', 'text'], ['name', 'text'], ['password_hash', 'text'], ['mobile', 'text'], ['email', 'text'], ['phone', 'text'],
    ], accountRows);
    await insertRows(sequelize, transaction, 'admins', [
      ['id', 'int'], ['account_id', 'int'], ['organisation_id', 'int'], ['org_path', 'text'], ['department_id', 'int'], ['is_super', 'bool'],
    ], adminRows);
    log(`账号：${accountRows.length} 个，管理员：${adminRows.length} 个（密码 ${DEMO_PASSWORD}）`);

    // The admin who decides for an organisation: the super admin of the nearest bureau above it that has one.
    const superOf = new Map<number, number>();
    for (const a of DEMO_ACCOUNTS) {
      if (a.kind === 'admin' && a.isSuper) {
        const org = orgByName(a.organisationName);
        if (org.kind !== 'unit' && org.kind !== 'ce_base') superOf.set(org.id, accountIdOf.get(a.idNumber)!);
      }
    }
    const responsibleCache = new Map<string, number>();
    const responsibleFor = (path: string): number => {
      let r = responsibleCache.get(path);
      if (r === undefined) {
        const ids = path.split('/').filter(Boolean).map(Number).reverse();
        r = ids.map((id) => superOf.get(id)).find((x) => x !== undefined) ?? superOf.get(provinceOrg.id)!;
        responsibleCache.set(path, r);
      }
      return r;
    };
    const unitAdminAccount = accountIdOf.get(DEMO_ACCOUNTS.find((a) => a.organisationName === DEMO_UNIT_LIXIA)!.idNumber)!;
    const demoUnitLixia = unitByName(DEMO_UNIT_LIXIA);

    // ------------------------------------------------------------ learning forms
    const forms: (LearningFormSeed & { id: number })[] = learningForms.map((f, i) => ({ ...f, id: i + 1 }));
    await insertRows(sequelize, transaction, 'learning_forms', [
      ['id', 'int'], ['code', 'text'], ['name', 'text'], ['subject_types', 'text[]'], ['fields', 'jsonb'], ['conversion', 'jsonb'],
      ['cap_per_activity', 'numeric'], ['cap_per_year', 'numeric'], ['evidence', 'text'], ['key_review', 'bool'], ['bulk_import', 'bool'],
      ['sort', 'int'],
    ], forms.map((f) => [f.id, f.code, f.name, `{${f.subjectTypes.join(',')}}`, f.fields, f.conversion, f.capPerActivity ?? null,
      f.capPerYear ?? null, f.evidence, f.keyReview, f.bulkImport, f.sort]));
    const form = (code: string) => {
      const f = forms.find((x) => x.code === code);
      if (!f) throw new Error(`seed: learning form ${code} missing`);
      return f;
    };

    // ------------------------------------------------------------ persons
    const usedIds = new Set<string>(DEMO_ACCOUNTS.map((a) => a.idNumber));
    const unitCum: number[] = [];
    let cum = 0;
    for (const u of units) unitCum.push((cum += SIZE_BY_CATEGORY[u.category!]));
    const pickUnit = () => {
      const r = rng.next() * cum;
      let lo = 0;
      let hi = unitCum.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (unitCum[mid] > r) hi = mid;
        else lo = mid + 1;
      }
      return units[lo];
    };
    const levelFor = (age: number): TitleLevel =>
      age < 30 ? rng.weighted<TitleLevel>([['junior', 30], ['assistant', 60], ['intermediate', 10]])
        : age < 40 ? rng.weighted<TitleLevel>([['assistant', 30], ['intermediate', 55], ['vice_senior', 15]])
          : age < 50 ? rng.weighted<TitleLevel>([['assistant', 5], ['intermediate', 45], ['vice_senior', 40], ['senior', 10]])
            : rng.weighted<TitleLevel>([['intermediate', 35], ['vice_senior', 45], ['senior', 20]]);
    const fitLevel = (series: string, level: TitleLevel): TitleLevel => {
      const levels = levelsOf(series);
      if (levels.includes(level)) return level;
      return levels[levels.length - 1];
    };

    const persons: PersonRow[] = [];
    const demoPerson = DEMO_ACCOUNTS.find((a) => a.kind === 'person')!;
    {
      const unit = unitByName(demoPerson.organisationName);
      const series = '卫生技术';
      persons.push({
        id: 1, accountId: accountIdOf.get(demoPerson.idNumber)!, idNumber: demoPerson.idNumber, name: demoPerson.name,
        pinyin: 'sunyue', gender: 'F', birthDate: '1991-02-02', unit, series, track: '医疗', level: 'intermediate',
        title: titleFor(series, 'intermediate')!, education: 'master', mobile: demoPerson.mobile, email: demoPerson.email,
        status: 'active',
      });
    }
    const reserved = personTotal >= 60 ? 5 : 0; // registrants: pending / rejected persons without hours
    while (persons.length < personTotal) {
      const unit = pickUnit();
      const cat = unit.category!;
      const femaleShare = cat === 'hospital' || cat === 'school' || cat === 'cdc' ? 0.65 : cat === 'company' || cat === 'design' ? 0.35 : 0.5;
      const gender: 'M' | 'F' = rng.chance(femaleShare) ? 'F' : 'M';
      const year = Math.round(1960 + (rng.next() + rng.next()) * 19);
      const month = rng.int(1, 12);
      const dim = new Date(Date.UTC(year, month, 0)).getUTCDate();
      const day = rng.int(1, dim);
      const birth = `${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}`;
      const region = unit.county?.code ?? unit.city?.code ?? shandong.code;
      let idNumber = '';
      for (let attempt = 0; attempt < 50; attempt++) {
        const seq = rng.int(0, 499) * 2 + (gender === 'M' ? 1 : 0);
        idNumber = generateIdNumber(region, birth, seq);
        if (!usedIds.has(idNumber)) break;
        idNumber = '';
      }
      if (!idNumber) continue;
      usedIds.add(idNumber);
      const { name, pinyin } = personName(rng, gender);
      const age = 2026 - year;
      let series: string | null = rng.weighted(SERIES_BY_CATEGORY[cat]);
      let level: TitleLevel | null = fitLevel(series, levelFor(age));
      // A track of the series that has the level: a mid-level nurse is a 主管护师, not a 主治医师.
      const tracks = tracksOf(series).filter((t) => t.titles[level!] !== undefined);
      let track: string | null = tracks.length === 1 ? tracks[0].name
        : rng.weighted(tracks.map((t) => [t.name, TRACK_WEIGHTS[series!]?.[t.name] ?? 1] as const));
      if (age < 30 && rng.chance(0.05)) {
        series = null;
        track = null;
        level = null;
      }
      const isReserved = persons.length >= personTotal - reserved;
      persons.push({
        id: persons.length + 1, accountId: null, idNumber, name, pinyin, gender,
        birthDate: `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6)}`, unit, series, track, level,
        title: series && level ? titleFor(series, level, track!)! : null,
        education: rng.weighted(EDUCATION_BY_CATEGORY[cat] ?? EDUCATION_DEFAULT),
        mobile: rng.chance(0.92) ? mobile(rng) : null,
        email: rng.chance(0.65) ? `${pinyin}${rng.chance(0.6) ? String(year).slice(2) : rng.digits(3)}@${rng.pick(EMAIL_DOMAINS)}` : null,
        status: isReserved ? (persons.length === personTotal - 1 ? 'rejected' : 'pending') : 'active',
      });
    }

    // An approved transfer already moved its person: make the person work at the receiving unit.
    const shinanUnit = unitByName(DEMO_UNIT_SHINAN);
    const movable = (p: PersonRow) => p.id > 1 && p.status === 'active' && p.unit.id !== shinanUnit.id;
    const movedPerson = persons.find((p) => movable(p) && p.unit.bureauId === shibei.id) ?? persons.find(movable);
    const movedFrom = movedPerson?.unit;
    if (movedPerson) movedPerson.unit = shinanUnit;

    await insertRows(sequelize, transaction, 'persons', [
      ['id', 'int'], ['account_id', 'int'], ['id_number', 'text'], ['name', 'text'], ['gender', 'text'], ['birth_date', 'date'],
      ['unit_id', 'int'], ['org_path', 'text'], ['title_series', 'text'], ['title_level', 'text'], ['title', 'text'],
      ['education', 'text'], ['mobile', 'text'], ['email', 'text'], ['status', 'text'],
    ], persons.map((p) => [p.id, p.accountId, p.idNumber, p.name, p.gender, p.birthDate, p.unit.id, p.unit.path, p.series, p.level,
      p.title, p.education, p.mobile, p.email, p.status]));
    personCount = persons.length;
    log(`专业技术人员：${persons.length} 人（${Date.now() - t0} ms）`);

    // ------------------------------------------------------------ hour declarations
    const decls: Decl[] = [];
    const basesByCity = new Map<string, Org[]>();
    for (const b of ceBases) {
      const key = b.city?.code ?? '';
      basesByCity.set(key, [...(basesByCity.get(key) ?? []), b]);
    }
    const provincialBases = basesByCity.get('') ?? [];
    const countyishUnits = units.filter((u) => u.county && !URBAN.has(u.county.code));

    const optionsOf = (f: LearningFormSeed, key: string) => f.fields.find((x) => x.key === key)?.options ?? [];
    /** One activity of a form, with values that the form's conversion turns into hours. */
    const activity = (p: PersonRow, year: number, subject: 'public' | 'professional', f: LearningFormSeed & { id: number },
      size: 'big' | 'small' | 'any'): { name: string; values: Record<string, unknown>; days: number } => {
      const series = p.series ?? '';
      const topic = rng.pick(subject === 'public' ? PUBLIC_TOPICS : TOPICS[series] ?? DEFAULT_TOPICS);
      const societies = SOCIETIES[series] ?? ['中国科学技术协会', '山东省科学技术协会'];
      const v: Record<string, unknown> = {};
      let name = '';
      let days = 1;
      switch (f.code) {
        case 'face_to_face': {
          days = size === 'big' ? rng.pick([5, 5.5, 6, 7, 8, 10]) : size === 'small' ? rng.pick([1, 1.5, 2, 3]) : rng.pick([2, 3, 4, 5, 6]);
          name = subject === 'public' ? `${year}年度专业技术人员公需科目培训班（${topic}）` : `${topic}${rng.pick(['培训班', '高级研修班', '专题培训'])}`;
          v.organiser = rng.pick([...societies, p.unit.name, '山东省人力资源和社会保障厅']);
          v.location = `${p.unit.city?.shortName ?? '济南市'}`;
          v.days = days;
          break;
        }
        case 'online': {
          const h = size === 'big' ? rng.pick([30, 30, 32, 36, 40]) : size === 'small' ? rng.pick([8, 10, 12, 16, 20]) : rng.pick([12, 16, 20, 24, 30]);
          name = subject === 'public' ? `${year}年山东省专业技术人员公需科目网络培训` : `${topic}网络课程`;
          v.organiser = '山东省专业技术人员管理服务中心';
          v.platform = '山东省专业技术人员继续教育公共服务平台';
          v[DECLARED_HOURS_FIELD] = h;
          days = rng.int(10, 60);
          break;
        }
        case 'lecture': {
          v.role = size === 'big' || rng.chance(0.15) ? '主讲人' : '听讲';
          name = `${topic}专题讲座`;
          v.organiser = rng.pick([...societies, p.unit.name]);
          break;
        }
        case 'conference': {
          const levels = optionsOf(f, 'level');
          v.level = size === 'small' ? rng.pick(levels.slice(4)) : size === 'big' ? rng.pick(levels.slice(0, 4)) : rng.pick(levels);
          const scope = String(v.level).slice(0, 2);
          name = `${year}年${scope === '国际' ? '国际' : scope === '全国' ? '全国' : scope === '省级' ? '山东省' : p.unit.city?.shortName ?? '济南市'}${topic}学术会议`;
          v.organiser = scope === '国际' || scope === '全国' ? societies[0] : societies[1];
          if (String(v.level).includes('论文')) v.paper_title = `基于${rng.pick(PAPER_X)}的${rng.pick(PAPER_Y)}研究`;
          days = rng.int(1, 3);
          break;
        }
        case 'on_job': {
          v[DECLARED_HOURS_FIELD] = size === 'big' ? rng.pick([32, 36, 40]) : size === 'small' ? rng.pick([8, 12, 16]) : rng.pick([12, 16, 20, 24, 30, 40]);
          name = `${year}年${rng.pick(['岗位技能培训', '新技术新业务岗位培训', '安全生产岗位培训', '业务骨干岗位培训'])}（第${rng.int(1, 4)}期）`;
          v.organiser = p.unit.name;
          days = rng.int(2, 10);
          break;
        }
        case 'advanced_study': {
          days = size === 'small' ? rng.int(3, 6) : rng.int(10, 20);
          const place = rng.pick(ADVANCED_PLACES);
          name = `赴${place}进修`;
          v.organiser = place;
          v.days = days;
          break;
        }
        case 'degree': {
          const place = rng.pick(ADVANCED_PLACES.filter((x) => !x.includes('医院')));
          v.degree_level = p.education === 'master' || p.education === 'doctor' ? '博士研究生' : '硕士研究生';
          v.major = series === '卫生技术' ? '临床医学' : series === '工程技术' ? '工程管理' : series === '中小学教师' ? '教育' : '工商管理';
          v.courses = size === 'small' ? 1 : size === 'big' ? rng.int(4, 6) : rng.int(1, 4);
          name = `在职攻读${v.major}${String(v.degree_level).replace('研究生', '')}学位`;
          v.organiser = place;
          days = 180;
          break;
        }
        case 'patent': {
          name = `一种${rng.pick(THINGS)}的${rng.pick(METHODS)}`;
          v.patent_number = `ZL${year - rng.int(1, 2)}1${rng.digits(7)}.${rng.int(0, 9)}`;
          v.inventor_rank = rng.pick(INVENTOR_RANKS.slice(0, 3));
          v.organiser = p.unit.name;
          days = rng.int(300, 600);
          break;
        }
        case 'paper': {
          const levels = optionsOf(f, 'publication_level');
          v.publication_level = size === 'small' ? rng.pick(levels.slice(4)) : size === 'big' ? rng.pick(levels.slice(0, 4)) : rng.pick(levels);
          name = String(v.publication_level).includes('专著') ? `${topic}理论与实践` : `基于${rng.pick(PAPER_X)}的${rng.pick(PAPER_Y)}研究`;
          v.organiser = String(v.publication_level).includes('专著') ? rng.pick(['山东大学出版社', '科学出版社', '人民卫生出版社', '山东人民出版社']) : rng.pick(JOURNALS);
          // Mostly first authors; second and third authors get their smaller share (later ones none).
          v.author_rank = AUTHOR_RANKS[Math.max(0, rng.int(1, 5) - 3)];
          days = rng.int(60, 200);
          break;
        }
        case 'research': {
          const [funder, lvl] = rng.pick(FUNDERS);
          // Ranks that count for the project's level (a provincial project counts its first three).
          const ranks = optionsOf(f, 'rank').filter((r) => hoursFor(f, { project_level: lvl, rank: r }) > 0);
          v.rank = size === 'small' ? rng.pick(ranks.slice(-2)) : size === 'big' ? rng.pick(ranks.slice(0, 2)) : rng.pick(ranks);
          v.project_level = lvl;
          name = `${rng.pick(THINGS)}关键技术研究与应用`;
          v.organiser = funder;
          days = rng.int(300, 700);
          break;
        }
        case 'secondment': {
          days = size === 'small' ? rng.int(20, 50) : rng.int(90, 180);
          name = rng.pick(SECONDMENT_POSTS);
          v.organiser = rng.pick(countyishUnits.length ? countyishUnits : units).name;
          v.days = days;
          break;
        }
        case 'overseas': {
          const [n, country] = rng.pick(OVERSEAS);
          days = size === 'small' ? rng.int(3, 5) : rng.int(7, 15);
          name = n;
          v.country = country;
          v.organiser = '山东省人力资源和社会保障厅';
          v.days = days;
          break;
        }
        default:
          throw new Error(`seed: no activity generator for ${f.code}`);
      }
      return { name, values: v, days };
    };

    const PRO_FORMS: [string, number][] = [['face_to_face', 25], ['online', 14], ['conference', 12], ['lecture', 4], ['on_job', 18],
      ['advanced_study', 3], ['degree', 3], ['patent', 2], ['paper', 7], ['research', 6], ['secondment', 2], ['overseas', 2]];
    /** The first professional activity of a completing year: mostly a substantial one. */
    const BIG_PRO_FORMS: [string, number][] = [['face_to_face', 35], ['on_job', 18], ['online', 12], ['conference', 5], ['paper', 8],
      ['research', 6], ['advanced_study', 5], ['degree', 4], ['secondment', 3], ['overseas', 3], ['patent', 1]];
    const PUB_FORMS: [string, number][] = [['online', 55], ['face_to_face', 40], ['lecture', 5]];
    const EVIDENCE_EXT = ['jpg', 'pdf', 'png'];

    const makeDecl = (p: PersonRow, year: number, subject: 'public' | 'professional', code: string, size: 'big' | 'small' | 'any',
      used: Map<string, number>): Decl | undefined => {
      const f = form(code);
      const a = activity(p, year, subject, f, size);
      const hours = hoursFor(f, a.values);
      if (hours <= 0) throw new Error(`seed: ${code} gave no hours for ${JSON.stringify(a.values)}`);
      if (f.capPerYear !== undefined && (used.get(code) ?? 0) + hours > f.capPerYear) return undefined;
      used.set(code, (used.get(code) ?? 0) + hours);
      // The start (the date that decides the year) inside the year; a long activity (a patent
      // granted, a project closed) may end in a later year, but before AS_OF.
      const yearStart = utc(`${year}-01-01`);
      const lastEnd = AS_OF_MS - 40 * DAY;
      const span = Math.max(0, Math.ceil(a.days) - 1);
      const room = (Math.min(utc(`${year}-12-31`), lastEnd, lastEnd - span * DAY) - yearStart) / DAY;
      const startMs = yearStart + Math.floor(rng.next() * Math.max(1, room)) * DAY;
      const endMs = Math.min(startMs + span * DAY, lastEnd);
      const channel: Decl['channel'] = p.accountId !== null && code !== 'on_job' ? 'person' : code === 'on_job'
        ? rng.weighted<Decl['channel']>([['unit', 60], ['hr', 40]])
        : (code === 'face_to_face' || code === 'online' || code === 'lecture') && rng.chance(0.25) ? 'ce_base'
          : rng.weighted<Decl['channel']>([['person', 65], ['unit', 20], ['hr', 15]]);
      let ceBaseId: number | null = null;
      if (channel === 'ce_base') {
        const local = basesByCity.get(p.unit.city?.code ?? '') ?? [];
        const base = rng.pick(local.length && rng.chance(0.7) ? local : provincialBases);
        ceBaseId = base.id;
        a.values.organiser = base.name;
      }
      const details: Record<string, unknown> = {
        activity_name: a.name, start_date: ymd(startMs), end_date: ymd(endMs), ...a.values,
        evidence: `${f.fields.find((x) => x.type === 'file')?.label.replace(/[（）、]/g, '') ?? '证明材料'}.${rng.pick(EVIDENCE_EXT)}`,
      };
      const declaredBy = channel === 'person' ? p.accountId
        : channel === 'hr' ? responsibleFor(p.unit.path)
          : channel === 'unit' && p.unit.id === demoUnitLixia.id ? unitAdminAccount : null;
      const created = endMs + rng.int(1, 30) * DAY;
      return {
        person: p, year, subject, compulsory: subject === 'public' ? rng.chance(0.8) : null, form: f, channel, ceBaseId,
        declaredBy, activityName: a.name, details, hours, approvedHours: null, keyReview: f.keyReview || hours > 40,
        status: 'pending', reason: null, decidedBy: null, decidedAt: null, createdAt: stamp(rng, created), updatedAt: '',
        createdMs: created,
      };
    };

    /** A set that completes the year: one public record ≥ 30 and professional records ≥ 60. */
    const completeSet = (p: PersonRow, year: number): Decl[] => {
      const used = new Map<string, number>();
      const out: Decl[] = [];
      let pub: Decl | undefined;
      while (!pub) pub = makeDecl(p, year, 'public', rng.weighted(PUB_FORMS.filter(([c]) => c !== 'lecture')), 'big', used);
      out.push(pub);
      let pro = 0;
      for (let slot = 0; slot < 3 && pro < 60; slot++) {
        let d: Decl | undefined;
        if (slot === 2) {
          // Last slot: one concentrated course that closes the gap.
          const f = form('face_to_face');
          const need = Math.min(15, Math.max(1, Math.ceil((60 - pro) / 6)));
          d = makeDecl(p, year, 'professional', 'face_to_face', 'any', used);
          if (d) {
            d.details.days = need;
            // The start stays (it decides the year); the end moves.
            d.details.end_date = ymd(utc(String(d.details.start_date)) + (Math.ceil(need) - 1) * DAY);
            if (d.createdMs <= utc(String(d.details.end_date))) {
              d.createdMs = utc(String(d.details.end_date)) + DAY;
              d.createdAt = stamp(rng, d.createdMs);
            }
            d.hours = hoursFor(f, d.details);
            d.keyReview = d.hours > 40;
          }
        } else {
          for (let tries = 0; tries < 5 && !d; tries++) {
            d = makeDecl(p, year, 'professional', rng.weighted(slot === 0 ? BIG_PRO_FORMS : PRO_FORMS), slot === 0 || rng.chance(0.6) ? 'big' : 'any', used);
          }
        }
        if (d) {
          out.push(d);
          pro += d.hours;
        }
      }
      return out;
    };
    const partialSet = (p: PersonRow, year: number): Decl[] => {
      const used = new Map<string, number>();
      const out: Decl[] = [];
      if (rng.chance(0.6)) {
        const d = makeDecl(p, year, 'public', rng.weighted(PUB_FORMS), rng.chance(0.5) ? 'small' : 'big', used);
        if (d) out.push(d);
      }
      const n = rng.int(1, 2);
      for (let i = 0; i < n; i++) {
        const d = makeDecl(p, year, 'professional', rng.weighted(PRO_FORMS), 'small', used);
        if (d) out.push(d);
      }
      if (out.length === 0) {
        const d = makeDecl(p, year, 'professional', 'on_job', 'small', used);
        if (d) out.push(d);
      }
      return out;
    };

    const decide = (d: Decl, wanted: Decl['status']) => {
      // Only a person's own declaration waits for the unit's review first.
      const status = wanted === 'pending_unit' && d.channel !== 'person' ? 'pending' : wanted;
      d.status = status;
      d.approvedHours = null;
      d.reason = null;
      d.decidedBy = null;
      d.decidedAt = null;
      d.verificationReason = null;
      d.verifiedBy = null;
      d.verifiedAt = null;
      const decidedMs = d.createdMs + rng.int(3, 45) * DAY;
      if (status === 'approved' || status === 'rejected' || status === 'verification_failed') {
        d.decidedBy = responsibleFor(d.person.unit.path);
        d.decidedAt = stamp(rng, decidedMs);
      }
      if (status === 'approved' || status === 'verification_failed') d.approvedHours = d.hours;
      if (status === 'rejected') d.reason = rng.pick(REJECT_REASONS);
      if (status === 'verification_failed') {
        // The first decision stays (it approved the record); the verification is its own step.
        // Same draws of the generator as before migration 011, so the data set is unchanged.
        d.reason = '材料齐全，同意认定。';
        d.verificationReason = rng.pick(VERIFY_REASONS);
        d.verifiedBy = d.decidedBy;
        d.verifiedAt = stamp(rng, decidedMs + rng.int(30, 120) * DAY);
      }
      d.updatedAt = d.verifiedAt ?? d.decidedAt ?? (status === 'withdrawn' ? stamp(rng, d.createdMs + rng.int(1, 10) * DAY) : d.createdAt);
    };
    const approvedComplete = (ds: Decl[], year: number) => {
      let pub = 0;
      let pro = 0;
      for (const d of ds) {
        if (d.status !== 'approved') continue;
        if (d.subject === 'public') pub += d.hours;
        else pro += d.hours;
      }
      return isCompleted(requirementFor(year), pub, pro);
    };
    const PAST_FAIL: [Decl['status'], number][] = [['rejected', 40], ['verification_failed', 12], ['withdrawn', 20], ['pending', 18], ['pending_unit', 10]];
    const CURRENT: [Decl['status'], number][] = [['approved', 40], ['pending', 30], ['pending_unit', 20], ['rejected', 6], ['withdrawn', 4]];

    for (const p of persons) {
      if (p.status !== 'active') continue;
      for (const year of SEED_YEARS) {
        const current = year === 2026;
        const isDemo = p.id === 1;
        const r = rng.next();
        let set: Decl[];
        if (!current) {
          if (isDemo || r < 0.69) {
            set = completeSet(p, year);
            for (const d of set) decide(d, 'approved');
            // Now and then an extra record that did not count.
            if (set.length < 5 && rng.chance(0.15)) {
              const extra = partialSet(p, year)[0];
              if (extra) {
                decide(extra, rng.weighted(PAST_FAIL));
                set.push(extra);
              }
            }
          } else if (r < 0.9) {
            set = rng.chance(0.5) ? completeSet(p, year) : partialSet(p, year);
            for (const d of set) decide(d, 'approved');
            // Break completion: some records were refused, withdrawn, failed verification or are still waiting.
            for (const i of shuffle(rng, set.map((_, k) => k))) {
              if (!approvedComplete(set, year)) break;
              decide(set[i], rng.weighted(PAST_FAIL));
            }
          } else {
            set = partialSet(p, year).slice(0, 2);
            for (const d of set) decide(d, rng.weighted(PAST_FAIL));
          }
        } else {
          if (isDemo) {
            set = completeSet(p, year);
            set.forEach((d, i) => decide(d, i === 0 ? 'approved' : i === 1 ? 'pending' : 'pending_unit'));
          } else if (r < 0.3) {
            set = completeSet(p, year);
            for (const d of set) decide(d, 'approved');
          } else if (r < 0.85) {
            set = rng.chance(0.7) ? completeSet(p, year) : partialSet(p, year);
            for (const d of set) decide(d, rng.weighted(CURRENT));
          } else {
            set = partialSet(p, year);
            for (const d of set) decide(d, rng.weighted(CURRENT));
          }
        }
        decls.push(...set);
      }
    }
    // Every status must appear, even in a tiny seed.
    const present = new Set(decls.map((d) => d.status));
    const allStatuses: Decl['status'][] = ['pending_unit', 'pending', 'approved', 'rejected', 'withdrawn', 'verification_failed'];
    const touched = new Set<Decl>();
    for (const s of allStatuses) {
      if (present.has(s)) continue;
      const d = decls.find((x) => !touched.has(x) && x.person.id !== 1 && x.year === 2026)
        ?? decls.find((x) => !touched.has(x) && x.person.id !== 1);
      if (!d) continue;
      touched.add(d);
      if (s === 'pending_unit') d.channel = 'person';
      decide(d, s);
    }

    // Each record counts in the year of the date its learning form names (issue 18).
    for (const d of decls) {
      if (activityYear(d.form.fields, d.details) !== d.year) throw new Error(`seed: ${d.form.code} dated ${d.details.start_date} does not count in ${d.year}`);
    }
    log(`学时申报已生成，写入中（${Date.now() - t0} ms）`);
    await insertRows(sequelize, transaction, 'hour_declarations', [
      ['person_id', 'int'], ['unit_id', 'int'], ['org_path', 'text'], ['year', 'smallint'], ['subject_type', 'text'], ['compulsory', 'bool'],
      ['learning_form_id', 'int'], ['channel', 'text'], ['ce_base_id', 'int'], ['declared_by', 'int'], ['activity_name', 'text'],
      ['details', 'jsonb'], ['declared_hours', 'numeric'], ['approved_hours', 'numeric'], ['key_review', 'bool'], ['status', 'text'],
      ['reason', 'text'], ['decided_by', 'int'], ['decided_at', 'timestamptz'], ['created_at', 'timestamptz'], ['updated_at', 'timestamptz'],
      ['verification_reason', 'text'], ['verified_by', 'int'], ['verified_at', 'timestamptz'],
    ], decls.map((d) => [d.person.id, d.person.unit.id, d.person.unit.path, d.year, d.subject, d.compulsory, d.form.id, d.channel,
      d.ceBaseId, d.declaredBy, d.activityName, d.details, d.hours, d.approvedHours, d.keyReview, d.status, d.reason, d.decidedBy,
      d.decidedAt, d.createdAt, d.updatedAt, d.verificationReason ?? null, d.verifiedBy ?? null, d.verifiedAt ?? null]));
    declarationCount = decls.length;
    log(`学时申报：${decls.length} 条（${Date.now() - t0} ms）`);

    // ------------------------------------------------------------ yearly rollup
    // person_year_hours followed the INSERT above: the database's trigger applies the one
    // yearly-totals rule (migration 009, ce_year_totals) to every person-year it touched.

    // ------------------------------------------------------------ registrations
    const regRows: unknown[][] = [];
    const reg = (kind: 'unit' | 'ce_base' | 'person', orgId: number | null, personId: number | null, superior: Org, path: string,
      applicant: string, status: 'pending' | 'approved' | 'rejected', created: string, reason: string | null = null) => {
      const createdAt = stamp(rng, utc(created));
      const decidedAt = status === 'pending' ? null : stamp(rng, utc(created) + rng.int(1, 10) * DAY);
      regRows.push([kind, orgId, personId, superior.id, path, applicant, status, reason,
        status === 'pending' ? null : responsibleFor(superior.path), decidedAt, createdAt, decidedAt ?? createdAt]);
    };
    for (const u of pendingUnits) reg('unit', u.id, null, orgs[u.parentId! - 1], u.path, u.contactName!, 'pending', '2026-11-0' + rng.int(2, 9));
    reg('unit', rejectedUnit.id, null, huaiyin, rejectedUnit.path, rejectedUnit.contactName!, 'rejected', '2026-10-15', '统一社会信用代码与营业执照不一致，请核对后重新注册');
    reg('ce_base', pendingBase.id, null, provinceOrg, pendingBase.path, pendingBase.contactName!, 'pending', '2026-11-12');
    for (const u of [demoUnitLixia, unitByName(DEMO_UNIT_SHIZHONG), shinanUnit, ...units.filter((x) => x.county?.code === '370104').slice(0, 2)]) {
      reg('unit', u.id, null, orgs[u.parentId! - 1], u.path, u.contactName!, 'approved', `2023-0${rng.int(3, 9)}-1${rng.int(0, 9)}`);
    }
    reg('ce_base', ceBases[0].id, null, provinceOrg, ceBases[0].path, ceBases[0].contactName!, 'approved', '2022-03-01');
    const registrants = persons.filter((p) => p.status !== 'active');
    for (const p of registrants) {
      reg('person', null, p.id, orgs[p.unit.parentId! - 1], p.unit.path, p.name, p.status === 'rejected' ? 'rejected' : 'pending',
        '2026-11-1' + rng.int(0, 8), p.status === 'rejected' ? '所在单位信息与本人填报不一致' : null);
    }
    const activeSample = persons.filter((p) => p.status === 'active' && p.id > 1);
    for (let i = 0; i < Math.min(6, activeSample.length); i++) {
      const p = activeSample[Math.floor(rng.next() * activeSample.length)];
      reg('person', null, p.id, orgs[p.unit.parentId! - 1], p.unit.path, p.name, 'approved', `2024-0${rng.int(1, 9)}-2${rng.int(0, 8)}`);
    }
    // A registration in 历下区 still waiting, so the district's admin has something to review.
    const lixiaPerson = activeSample.find((p) => p.unit.bureauId === lixia.id);
    if (lixiaPerson && !registrants.length) reg('person', null, lixiaPerson.id, lixia, lixiaPerson.unit.path, lixiaPerson.name, 'pending', '2026-11-15');
    await insertRows(sequelize, transaction, 'registrations', [
      ['kind', 'text'], ['organisation_id', 'int'], ['person_id', 'int'], ['superior_id', 'int'], ['org_path', 'text'],
      ['applicant_name', 'text'], ['status', 'text'], ['reason', 'text'], ['decided_by', 'int'], ['decided_at', 'timestamptz'],
      ['created_at', 'timestamptz'], ['updated_at', 'timestamptz'],
    ], regRows);

    // ------------------------------------------------------------ change requests
    const crRows: unknown[][] = [];
    const levelOrder: TitleLevel[] = ['junior', 'assistant', 'intermediate', 'vice_senior', 'senior'];
    const titleValues = (p: PersonRow, level: TitleLevel) => ({ title_series: p.series, title_level: level, title: titleFor(p.series!, level, p.track!) });
    const inBureau = (bureau: Org) => activeSample.filter((p) => p.unit.bureauId === bureau.id && p.series && p.level && p.level !== 'senior');
    const crCandidates = [...inBureau(lixia).slice(0, 3), ...inBureau(shizhong).slice(0, 3), ...inBureau(shinan).slice(0, 2),
      ...inBureau(countyOrgs.get('370112')!).slice(0, 2), ...inBureau(shibei).slice(0, 1)].filter((p) => p !== movedPerson);
    crCandidates.forEach((p, i) => {
      const levels = levelsOf(p.series!, p.track!);
      const status = i % 4 === 3 ? 'approved' : i % 5 === 4 ? 'rejected' : 'pending';
      const created = `2026-${String(rng.int(8, 11)).padStart(2, '0')}-0${rng.int(1, 9)}`;
      const createdAt = stamp(rng, utc(created));
      const decidedAt = status === 'pending' ? null : stamp(rng, utc(created) + rng.int(2, 8) * DAY);
      let oldV: Record<string, unknown>;
      let newV: Record<string, unknown>;
      if (status === 'approved') {
        // The person already holds the new title; the old one was a level lower.
        const lower = levelOrder.slice(0, levelOrder.indexOf(p.level!)).reverse().find((l) => levels.includes(l));
        if (!lower) return;
        oldV = titleValues(p, lower);
        newV = titleValues(p, p.level!);
      } else {
        const higher = levelOrder.slice(levelOrder.indexOf(p.level!) + 1).find((l) => levels.includes(l));
        if (!higher) return;
        oldV = titleValues(p, p.level!);
        newV = titleValues(p, higher);
      }
      crRows.push(['person_title', p.id, null, p.unit.path, oldV, newV, `职称证书（${newV.title}）.pdf`, status,
        status === 'rejected' ? '未提供职称评审结果文件，请补充后重新提交' : null,
        status === 'pending' ? null : responsibleFor(p.unit.path), decidedAt, createdAt, decidedAt ?? createdAt]);
    });
    const orgChange = (o: Org, status: 'pending' | 'approved' | 'rejected', fields: 'contact' | 'address' | 'phone') => {
      const created = `2026-11-0${rng.int(1, 9)}`;
      const createdAt = stamp(rng, utc(created));
      const decidedAt = status === 'pending' ? null : stamp(rng, utc(created) + rng.int(1, 5) * DAY);
      const other = fields === 'contact' ? { contact_name: contact(), mobile: mobile(rng) }
        : fields === 'address' ? { address: addressOf(o.city, o.county) } : { phone: phoneOf(o.city), email: `hr${o.id}@example.net` };
      const current = Object.fromEntries(Object.keys(other).map((k) => [k, (o as unknown as Record<string, unknown>)[k === 'contact_name' ? 'contactName' : k]]));
      // Approved: the organisation already shows the new values.
      const [oldV, newV] = status === 'approved' ? [other, current] : [current, other];
      crRows.push(['organisation_info', null, o.id, o.path, oldV, newV, null, status,
        status === 'rejected' ? '变更材料未加盖单位公章' : null, status === 'pending' ? null : responsibleFor(o.path), decidedAt,
        createdAt, decidedAt ?? createdAt]);
    };
    const lixiaUnits = units.filter((u) => u.bureauId === lixia.id);
    const shizhongUnits = units.filter((u) => u.bureauId === shizhong.id);
    const shinanUnits = units.filter((u) => u.bureauId === shinan.id);
    orgChange(lixiaUnits[1] ?? demoUnitLixia, 'pending', 'contact');
    orgChange(lixiaUnits[2] ?? demoUnitLixia, 'pending', 'address');
    orgChange(shizhongUnits[1] ?? shizhongUnits[0], 'pending', 'phone');
    orgChange(shinanUnits[1] ?? shinanUnit, 'pending', 'contact');
    orgChange(shizhongUnits[2] ?? shizhongUnits[0], 'rejected', 'address');
    orgChange(demoUnitLixia, 'approved', 'phone');
    await insertRows(sequelize, transaction, 'change_requests', [
      ['kind', 'text'], ['person_id', 'int'], ['organisation_id', 'int'], ['org_path', 'text'], ['old_values', 'jsonb'],
      ['new_values', 'jsonb'], ['evidence', 'text'], ['status', 'text'], ['reason', 'text'], ['decided_by', 'int'],
      ['decided_at', 'timestamptz'], ['created_at', 'timestamptz'], ['updated_at', 'timestamptz'],
    ], crRows);

    // ------------------------------------------------------------ training plans
    const tpRows: unknown[][] = [];
    const plan = (kind: string, o: Org, year: number, title: string, status: 'pending' | 'approved' | 'rejected',
      content: Record<string, unknown>, subject: 'public' | 'professional' | null = null, compulsory: boolean | null = null) => {
      const created = kind === 'work_summary' || kind === 'unit_hours' ? `${year + 1}-01-1${rng.int(0, 9)}` : `${year}-0${rng.int(1, 3)}-1${rng.int(0, 9)}`;
      const createdAt = stamp(rng, utc(created));
      const decidedAt = status === 'pending' ? null : stamp(rng, utc(created) + rng.int(3, 20) * DAY);
      tpRows.push([kind, o.id, o.path, year, title, subject, compulsory, content, null, status,
        status === 'rejected' ? rng.pick(['培训内容与专业技术人员继续教育要求不符', '师资信息不完整，请补充', '计划学时安排不合理']) : null,
        status === 'pending' ? null : responsibleFor(o.path), decidedAt, createdAt, decidedAt ?? createdAt]);
    };
    ceBases.forEach((b, i) => {
      const short = b.name.replace(/^.*（(.*)）$/, '$1');
      const status2026 = i % 3 === 0 ? 'pending' : i % 5 === 4 ? 'rejected' : 'approved';
      plan('annual_plan', b, 2026, `${short}2026年度专业技术人员继续教育培训计划`, status2026, {
        projects: rng.int(8, 20), plannedTrainees: rng.int(10, 60) * 100, plannedHours: rng.int(30, 90) * 10,
        summary: '围绕新技术、新知识、新方法开展专业科目培训，兼顾公需科目集中培训。',
      });
      plan('plan_declaration', b, 2026, `${short}2026年${rng.pick(PUBLIC_TOPICS)}培训班`, i % 2 === 0 ? 'pending' : 'approved', {
        days: rng.int(3, 6), trainees: rng.int(80, 300), teachers: rng.int(4, 10), location: b.city?.shortName ?? '济南市',
      }, i % 2 === 0 ? 'public' : 'professional', i % 2 === 0 ? true : null);
      plan('work_summary', b, 2025, `${short}2025年度继续教育工作总结`, i % 4 === 1 ? 'pending' : 'approved', {
        trainedPersons: rng.int(20, 90) * 100, classes: rng.int(10, 40), satisfaction: `${rng.int(92, 99)}%`,
        summary: '全年按计划完成培训任务，培训质量稳步提升。',
      });
    });
    const planUnits = [demoUnitLixia, ...lixiaUnits.slice(1, 4), ...shizhongUnits.slice(0, 3), ...shinanUnits.slice(0, 3),
      ...units.filter((u) => !u.county).slice(0, 4)];
    planUnits.forEach((u, i) => {
      const short = u.name;
      plan('unit_plan', u, 2026, `${short}2026年度继续教育计划`, i % 3 === 0 ? 'pending' : i % 7 === 6 ? 'rejected' : 'approved', {
        plannedTrainees: rng.int(20, 400), plannedHours: rng.int(60, 120), summary: '结合岗位需求安排专业科目培训和岗位培训。',
      });
      plan('unit_hours', u, 2025, `${short}2025年度培训学时`, i % 4 === 0 ? 'pending' : 'approved', {
        trainees: rng.int(20, 400), hoursPerPerson: rng.int(20, 60), form: '岗位培训',
      }, 'professional', null);
    });
    await insertRows(sequelize, transaction, 'training_plans', [
      ['kind', 'text'], ['organisation_id', 'int'], ['org_path', 'text'], ['year', 'smallint'], ['title', 'text'],
      ['subject_type', 'text'], ['compulsory', 'bool'], ['content', 'jsonb'], ['attachment_name', 'text'], ['status', 'text'],
      ['reason', 'text'], ['decided_by', 'int'], ['decided_at', 'timestamptz'], ['created_at', 'timestamptz'], ['updated_at', 'timestamptz'],
    ], tpRows);

    // ------------------------------------------------------------ transfers
    const shizhongAdmin = superOf.get(shizhong.id)!;
    const qingdaoAdmin = superOf.get(cityOrgs.get('370200')!.id)!;
    const shinanAdmin = superOf.get(shinan.id)!;
    const leaving = activeSample.find((p) => p.unit.bureauId === shizhong.id && p !== movedPerson);
    const transfersMade: number[] = [];
    if (leaving) {
      const [rows] = await q(`INSERT INTO transfers (person_id, from_unit_id, to_unit_id, from_path, to_path, reason_for_transfer, status,
          requested_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $8, $8) RETURNING id`,
      [leaving.id, leaving.unit.id, demoUnitLixia.id, leaving.unit.path, demoUnitLixia.path, '工作调动：经双方单位协商，调入济南市历下区第一人民医院工作',
        shizhongAdmin, '2026-11-16 10:20:00+08']);
      const id = (rows as { id: number }[])[0].id;
      transfersMade.push(id);
      await insertRows(sequelize, transaction, 'approval_tasks', [
        ['request_type', 'text'], ['request_id', 'int'], ['side', 'text'], ['organisation_id', 'int'], ['org_path', 'text'],
        ['status', 'text'], ['created_at', 'timestamptz'],
      ], [
        ['transfer', id, 'source', shizhong.id, shizhong.path, 'pending', '2026-11-16 10:20:00+08'],
        ['transfer', id, 'target', lixia.id, lixia.path, 'pending', '2026-11-16 10:20:00+08'],
      ]);
    }
    if (movedPerson && movedFrom) {
      const sourceBureau = orgs[movedFrom.parentId! - 1];
      const [rows] = await q(`INSERT INTO transfers (person_id, from_unit_id, to_unit_id, from_path, to_path, reason_for_transfer, status,
          requested_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 'approved', $7, $8, $9) RETURNING id`,
      [movedPerson.id, movedFrom.id, shinanUnit.id, movedFrom.path, shinanUnit.path, '人才引进：调入青岛海信电子产业控股股份有限公司',
        qingdaoAdmin, '2026-09-01 09:30:00+08', '2026-09-08 15:10:00+08']);
      const id = (rows as { id: number }[])[0].id;
      transfersMade.push(id);
      await insertRows(sequelize, transaction, 'approval_tasks', [
        ['request_type', 'text'], ['request_id', 'int'], ['side', 'text'], ['organisation_id', 'int'], ['org_path', 'text'],
        ['status', 'text'], ['decided_by', 'int'], ['decided_at', 'timestamptz'], ['created_at', 'timestamptz'],
      ], [
        ['transfer', id, 'source', sourceBureau.id, sourceBureau.path, 'approved', responsibleFor(sourceBureau.path), '2026-09-03 11:00:00+08',
          '2026-09-01 09:30:00+08'],
        ['transfer', id, 'target', shinan.id, shinan.path, 'approved', shinanAdmin, '2026-09-08 15:10:00+08', '2026-09-01 09:30:00+08'],
      ]);
    }

    // ------------------------------------------------------------ sequences
    for (const [table, col] of [['organisations', 'id'], ['accounts', 'id'], ['admins', 'id'], ['persons', 'id'], ['learning_forms', 'id'],
      ['hour_declarations', 'id'], ['registrations', 'id'], ['change_requests', 'id'], ['training_plans', 'id'], ['transfers', 'id'],
      ['approval_tasks', 'id']] as const) {
      await q(`SELECT setval(pg_get_serial_sequence('${table}', '${col}'), coalesce((SELECT max(${col}) FROM ${table}), 0) + 1, false)`);
    }
    log(`注册申请 ${regRows.length} 条，变更申请 ${crRows.length} 条，培训计划 ${tpRows.length} 条，人员调转 ${transfersMade.length} 条`);
  });

  return { organisations: orgs.length, persons: personCount, declarations: declarationCount, ms: Date.now() - t0 };
}
