/** Every seeded learning form: its conversion into hours, its cap per activity, its year date, and a valid definition. */
import { activityYear, hoursFor, learningForms, yearFieldOf, zeroHoursReason, type LearningFormSeed } from '../../config/learning-forms.js';
import { checkConversion, checkFields, checkSubjectTypes } from '../../src/domain/learning-form-rules.js';

const capped = (f: LearningFormSeed, h: number) => Math.round(Math.min(h, f.capPerActivity ?? Infinity) * 2) / 2;

describe.each(learningForms.map((f) => [f.name, f] as const))('%s', (_name, form) => {
  it('has a definition the catalog rules accept', () => {
    expect(checkSubjectTypes(form.subjectTypes)).toBeUndefined();
    expect(checkFields(form.fields)).toBeUndefined();
    expect(checkConversion(form.conversion, form.fields)).toBeUndefined();
  });

  it('converts an activity into hours and caps it', () => {
    const c = form.conversion;
    switch (c.method) {
      case 'per_unit':
        expect(hoursFor(form, { [c.field]: 2 })).toBe(capped(form, 2 * c.hoursPerUnit));
        expect(hoursFor(form, { [c.field]: 10_000 })).toBe(capped(form, 10_000 * c.hoursPerUnit));
        expect(hoursFor(form, { [c.field]: -1 })).toBe(0);
        break;
      case 'fixed':
        expect(hoursFor(form, {})).toBe(capped(form, c.hours));
        break;
      case 'declared':
        expect(hoursFor(form, { hours: 7.5 })).toBe(capped(form, 7.5));
        expect(hoursFor(form, { hours: 5000 })).toBe(capped(form, 5000));
        expect(hoursFor(form, { hours: 'abc' })).toBe(0);
        break;
      case 'by_option':
        for (const [option, h] of Object.entries(c.hours)) expect(hoursFor(form, { [c.field]: option })).toBe(capped(form, h));
        expect(hoursFor(form, { [c.field]: '不存在的选项' })).toBe(0);
        break;
      case 'by_two_options':
        for (const [a, row] of Object.entries(c.hours)) {
          for (const [b, h] of Object.entries(row)) expect(hoursFor(form, { [c.fields[0]]: a, [c.fields[1]]: b })).toBe(capped(form, h));
          expect(hoursFor(form, { [c.fields[0]]: a })).toBe(0);
        }
        break;
    }
    if (form.capPerActivity) expect(hoursFor(form, big(form))).toBeLessThanOrEqual(form.capPerActivity);
  });

  it('names the start of the activity as the date that decides its year, and marks its seed values unconfirmed', () => {
    expect(form.fields.filter((f) => f.decidesYear).map((f) => f.key)).toEqual(['start_date']);
    expect(yearFieldOf(form.fields)).toBe('start_date');
    expect(activityYear(form.fields, { start_date: '2023-05-01', end_date: '2025-03-10' })).toBe(2023);
    if (form.conversion.method !== 'declared') {
      expect(form.conversion.confirmed).toBe(false);
      expect(form.conversion.source).toEqual(expect.any(String));
    }
  });
});

describe('conversions that use what they ask for (issue 18)', () => {
  const f = (code: string) => learningForms.find((x) => x.code === code)!;
  it('research by level and rank: national 64/56/48/40/32, provincial 56/48/40', () => {
    const ranks = f('research').fields.find((x) => x.key === 'rank')!.options!;
    const row = (level: string) => ranks.map((rank) => hoursFor(f('research'), { project_level: level, rank }));
    expect(row('国家级')).toEqual([64, 56, 48, 40, 32, 0]);
    expect(row('省部级')).toEqual([56, 48, 40, 0, 0, 0]);
    expect(hoursFor(f('research'), { project_level: '国家级', rank: '主持人（第一位）' })).toBeGreaterThan(hoursFor(f('research'), { project_level: '其他', rank: '主持人（第一位）' }));
  });
  it('papers count for the first three authors only', () => {
    const paper = f('paper');
    const level = '中文核心期刊论文';
    expect(['第一作者（独著）', '第二作者', '第三作者', '第四作者及以后'].map((author_rank) => hoursFor(paper, { publication_level: level, author_rank }))).toEqual([20, 15, 10, 0]);
    expect(zeroHoursReason(paper, { publication_level: level, author_rank: '第四作者及以后' })).toBe('「刊物（著作）级别：中文核心期刊论文，作者排名：第四作者及以后」不计学时');
    expect(zeroHoursReason(paper, { publication_level: level, author_rank: '第一作者（独著）' })).toBeUndefined();
  });
  it('patents by inventor rank', () => {
    const ranks = f('patent').fields.find((x) => x.key === 'inventor_rank')!.options!;
    expect(ranks.map((inventor_rank) => hoursFor(f('patent'), { inventor_rank }))).toEqual([48, 42, 36, 30, 24, 18, 12, 6, 0]);
  });
});

function big(f: LearningFormSeed): Record<string, unknown> {
  const c = f.conversion;
  if (c.method === 'per_unit') return { [c.field]: 1e6 };
  if (c.method === 'declared') return { hours: 1e6 };
  if (c.method === 'by_option') return { [c.field]: Object.keys(c.hours)[0] };
  if (c.method === 'by_two_options') { const [a, row] = Object.entries(c.hours)[0]; return { [c.fields[0]]: a, [c.fields[1]]: Object.keys(row)[0] }; }
  return {};
}

describe('catalog rules for the year date and two-field conversions', () => {
  const research = learningForms.find((x) => x.code === 'research')!;
  it('a definition names exactly one required date that decides the year', () => {
    const msg = expect.stringContaining('decidesYear');
    expect(checkFields(research.fields.map(({ decidesYear: _d, ...f }) => f))).toEqual(msg);
    expect(checkFields(research.fields.map((f) => (f.type === 'date' ? { ...f, decidesYear: true } : f)))).toEqual(msg);
    expect(checkFields(research.fields.map((f) => (f.key === 'activity_name' ? { ...f, decidesYear: true } : { ...f, decidesYear: undefined })))).toEqual(msg);
    expect(checkFields(research.fields.map((f) => (f.type === 'date' ? { ...f, decidesYear: f.key === 'end_date' } : f)))).toBeUndefined();
  });
  it('a two-field conversion needs two select fields and hours for every pair', () => {
    const c = research.conversion as Extract<typeof research.conversion, { method: 'by_two_options' }>;
    expect(checkConversion({ ...c, fields: ['project_level', 'project_level'] }, research.fields)).toMatch(/两个不同的选择型录入项/);
    expect(checkConversion({ ...c, fields: ['project_level', 'activity_name'] }, research.fields)).toMatch(/选择型录入项/);
    const { 省部级: _p, ...withoutProvincial } = c.hours;
    expect(checkConversion({ ...c, hours: withoutProvincial }, research.fields)).toBe('「课题级别：省部级」缺少学时表');
    expect(checkConversion({ ...c, hours: { ...c.hours, 国家级: { ...c.hours['国家级'], 第五位: -1 } } }, research.fields)).toBe('「课题级别：国家级」的以下本人排名缺少学时（0–1000）：第五位');
    expect(checkConversion({ ...c, confirmed: 'yes' }, research.fields)).toMatch(/confirmed/);
    expect(checkConversion({ ...c, confirmed: true, source: '鲁人社字〔2027〕1号' }, research.fields)).toBeUndefined();
  });
});
