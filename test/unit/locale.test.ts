/**
 * Everything the panel names is in Chinese: every resource, every action it offers and every
 * field it shows resolve through AdminJS's own translation functions to Chinese text.
 */
import i18next from 'i18next';
import { createFunctions } from 'adminjs';
import { Sequelize } from 'sequelize';
import { defineModels } from '../../src/db/models.js';
import { allResources } from '../../resources/index.js';
import { policyOf as accessOf } from '../../resources/policies.js';
import { locale } from '../../src/admin/locale.js';

const BUILT_IN = ['list', 'show', 'new', 'edit', 'delete', 'bulkDelete', 'search'];
const chinese = (s: string) => /[\u4e00-\u9fff]/.test(s) && !/[A-Za-z]{3,}/.test(s.replace(/\{\{\w+\}\}/g, ''));

describe('the panel speaks Chinese', () => {
  const sequelize = new Sequelize('postgres://nobody@127.0.0.1:1/none', { dialect: 'postgres', logging: false });
  const resources = allResources(defineModels(sequelize));
  let t: ReturnType<typeof createFunctions>;
  beforeAll(async () => {
    const i18n = i18next.createInstance();
    await i18n.init({ lng: 'zh-CN', resources: { 'zh-CN': { translation: locale.translations!['zh-CN'] as never } } });
    t = createFunctions(i18n);
  });
  afterAll(() => sequelize.close());

  it.each(resources.map((r) => [r.options.id!, r] as const))('%s', (id, r) => {
    const untranslated: string[] = [];
    if (!chinese(t.translateLabel(id, id))) untranslated.push(`label ${id}`);
    const access = accessOf(id);
    for (const action of [...BUILT_IN, ...Object.keys(r.options.actions ?? {})]) {
      if (!access.actions[action] && !BUILT_IN.includes(action)) continue;
      if (!chinese(t.translateAction(action, id))) untranslated.push(`action ${action}`);
    }
    for (const field of new Set([...access.readable, ...(access.writable.new ?? []), ...(access.writable.edit ?? [])])) {
      if (!chinese(t.translateProperty(field, id))) untranslated.push(`property ${field}`);
    }
    expect(untranslated).toEqual([]);
  });

  // Every property a page can show: the model's columns, the virtual fields of the options, and
  // whatever the list, detail, form and filter name (issue 17: "Completion", "attachment_name").
  it.each(resources.map((r) => [r.options.id!, r] as const))('%s: every property', (id, r) => {
    const o = r.options;
    const names = new Set<string>([
      ...(r.resource as unknown as { properties(): Array<{ path(): string }> }).properties().map((p) => p.path()),
      ...Object.keys(o.properties ?? {}),
      ...(o.listProperties ?? []), ...(o.showProperties ?? []), ...(o.editProperties ?? []), ...(o.filterProperties ?? []),
    ]);
    const untranslated = [...names].filter((n) => !chinese(t.translateProperty(n, id))).map((n) => `${n} → ${t.translateProperty(n, id)}`);
    expect(untranslated).toEqual([]);
  });

  it('names AdminJS\'s confirmation dialog and its array length in Chinese', () => {
    expect(t.translateLabel('confirm')).toBe('操作确认');
    expect(chinese(t.translateLabel('confirm', 'sessions'))).toBe(true);
    expect(t.translateProperty('length')).toBe('长度');
  });
});
