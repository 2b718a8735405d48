/**
 * 学习形式目录: the learning forms, their fields, conversion to hours and caps — data that the
 * provincial super admin edits; every admin reads it to declare hours.
 */
import type { Models } from '../../src/db/models.js';
import { defineResource } from '../../src/admin/define-resource.js';
import { nav } from '../../src/admin/navigation.js';
import { conversionMethod, fieldType, options as opts, subjectType } from '../../src/domain/labels.js';
import { ValidationError } from 'adminjs';
import { Components } from '../../src/admin/components/index.js';
import { checkConversion, checkFields, checkSubjectTypes } from '../../src/domain/learning-form-rules.js';
import { learningFormsPolicy } from './policy.js';

export const learningFormsResource = ({ LearningForm }: Models) => defineResource({
  policy: learningFormsPolicy,
  model: LearningForm,
  scoped: {
    async prepareUpdate(values, current) {
      const errors: Record<string, { message: string }> = {};
      const parse = (key: string) => {
        if (values[key] === undefined) return undefined;
        try { return JSON.parse(String(values[key])); } catch { errors[key] = { message: '配置格式不正确（应为合法的 JSON）' }; return undefined; }
      };
      const subjectTypes = parse('subject_types_json') ?? current.subject_types;
      const fields = parse('fields_json') ?? current.fields;
      // Caps and the conversion take effect from a year: they are added as 学习形式年度规则 (migration 016).
      const conversion = current.conversion;
      const subjectError = checkSubjectTypes(subjectTypes);
      if (subjectError) errors.subject_types_json = { message: subjectError };
      const fieldsError = checkFields(fields);
      if (fieldsError) errors.fields_json = { message: fieldsError };
      else {
        const conversionError = checkConversion(conversion, fields);
        if (conversionError) errors.conversion_json = { message: conversionError };
      }
      if (Object.keys(errors).length) throw new ValidationError(errors, { message: '学习形式配置有误，未保存' });
      const { subject_types_json: _s, fields_json: _f, ...rest } = values;
      return { ...rest, subject_types: subjectTypes, fields };
    },
  },
  options: {
    navigation: nav.system,
    sort: { sortBy: 'sort', direction: 'asc' },
    listProperties: ['name', 'subject_types', 'conversion', 'cap_per_activity', 'cap_per_year', 'key_review', 'bulk_import', 'active'],
    // Without 'code' (face_to_face …): the catalog's key for imports and the seed, not a word for a reader.
    showProperties: ['name', 'subject_types', 'fields', 'conversion', 'cap_per_activity', 'cap_per_year', 'evidence', 'key_review', 'bulk_import', 'active', 'sort'],
    // Filters on what a reader looks for; the JSON configuration is the edit form's alone.
    filterProperties: ['name', 'subject_types', 'key_review', 'bulk_import', 'active'],
    // Caps and the conversion are added as 学习形式年度规则 (from a year on), not edited here.
    editProperties: ['name', 'subject_types_json', 'fields_json', 'evidence', 'key_review', 'bulk_import', 'active', 'sort'],
    properties: {
      subject_types: { availableValues: opts(subjectType), components: { list: Components.ValueList, show: Components.ValueList } },
      // Fields (with the date that decides the year) and the conversion table, with its source and whether Shandong confirmed it.
      fields: { components: { show: Components.LearningFormRules, list: Components.LearningFormRules }, custom: { fieldTypes: fieldType } },
      conversion: { components: { show: Components.LearningFormRules, list: Components.LearningFormRules }, custom: { methods: conversionMethod } },
      subject_types_json: { type: 'textarea', components: { edit: Components.JsonEdit } },
      fields_json: { type: 'textarea', components: { edit: Components.JsonEdit } },
    },
  },
});
