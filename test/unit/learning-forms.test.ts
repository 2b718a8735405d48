/** Every seeded learning form: its conversion into hours, its cap per activity, and a valid definition. */
import { hoursFor, learningForms, type LearningFormSeed } from '../../config/learning-forms.js';
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
    }
    if (form.capPerActivity) expect(hoursFor(form, big(form))).toBeLessThanOrEqual(form.capPerActivity);
  });
});

function big(f: LearningFormSeed): Record<string, unknown> {
  const c = f.conversion;
  if (c.method === 'per_unit') return { [c.field]: 1e6 };
  if (c.method === 'declared') return { hours: 1e6 };
  if (c.method === 'by_option') return { [c.field]: Object.keys(c.hours)[0] };
  return {};
}
