/**
 * Approve-all of N pending declarations through the panel's API (filter → one request) vs. one
 * `UPDATE … WHERE id = ANY(…)`.
 */
import { QueryTypes } from 'sequelize';
import type { BenchContext, Scenario } from '../lib.js';
import { measured } from '../lib.js';

const CITY_ADMIN = '370100198203150021'; // 济南市人社局超级管理员

async function pendingBatch(ctx: BenchContext, tag: string, path: string): Promise<number[]> {
  const rows = await ctx.sequelize.query<{ id: string }>(`INSERT INTO hour_declarations (person_id, unit_id, org_path, year, subject_type, learning_form_id, channel, activity_name, declared_hours)
    SELECT p.id, p.unit_id, p.org_path, 2025, 'professional', (SELECT id FROM learning_forms WHERE code = 'face_to_face'), 'hr', :tag, 6
      FROM persons p WHERE p.org_path LIKE :path AND p.status = 'active' LIMIT :n RETURNING id::text`,
  { replacements: { tag, path: `${path}%`, n: ctx.flags.approve }, type: QueryTypes.SELECT });
  return rows.map((r) => Number(r.id));
}

export const approveAll: Scenario = {
  id: 'approve-all',
  title: (f) => `全部通过 ${f.approve} 条待审核学时`,
  note: '平台：一次 HTTP 请求，含权限范围、锁定、状态变更、年度汇总重算、逐条审计；基线：一条 UPDATE … WHERE id = ANY(…)',
  target: { text: '< 3 s', maxMedianMs: 3000 },
  async run(ctx) {
    const s = await ctx.login(CITY_ADMIN);
    const [{ path }] = await ctx.sequelize.query<{ path: string }>("SELECT path FROM organisations WHERE name = '济南市人力资源和社会保障局'", { type: QueryTypes.SELECT });
    const platformMs: number[] = [];
    const baselineMs: number[] = [];
    for (let run = 0; run < ctx.flags.heavyRuns; run++) {
      const tag = `bench-approve-${Date.now()}-${run}`;
      const ids = await pendingBatch(ctx, tag, path);
      const { ms } = await measured(async () => {
        const body = await s.json<{ notice?: { message: string } }>(`/admin/api/resources/hour_reviews/actions/approveAll?filters.activity_name=${encodeURIComponent(tag)}`, {
          method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
        if (body.notice?.message !== `已通过 ${ids.length} 条`) throw new Error(`approve-all: ${JSON.stringify(body)}`);
      });
      platformMs.push(ms);
      const baseIds = await pendingBatch(ctx, `${tag}-baseline`, path);
      const t0 = performance.now();
      await ctx.pool.query("UPDATE hour_declarations SET status = 'approved', approved_hours = declared_hours, decided_at = now() WHERE id = ANY($1::bigint[])", [baseIds]);
      baselineMs.push(performance.now() - t0);
      // Both runs' rows go again (the yearly totals follow by the database's trigger): every run
      // leaves the data as it found it (newest-first lists of a database grown by earlier runs'
      // 10,000 rows a time would measure something else).
      await ctx.pool.query('DELETE FROM hour_declarations WHERE id = ANY($1::bigint[])', [[...baseIds, ...ids]]);
    }
    return { platformMs, baselineMs };
  },
};
