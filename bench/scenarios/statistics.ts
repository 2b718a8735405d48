/**
 * Province-wide completion statistics for one year (继教完成情况查询, split by the 16 cities),
 * through the panel's JSON API as the provincial admin's browser asks for it: session, access
 * layer, the rollups of migration 007, serialisation. Baseline: the naive way — GROUP BY over
 * every hour record (each learning form capped at its yearly cap, as the yearly totals are),
 * each person judged against the requirement, then grouped by city. Both must agree on the
 * number of persons who completed the year in every city.
 */
import { requirementFor } from '../../config/yearly-requirements.js';
import { repeat, type Scenario } from '../lib.js';

const YEAR = 2025;
const PROVINCE_ADMIN = '370000198001010017';

interface ApiBody { byArea: Array<{ areaId: number | null; completed: number }> }

export const statistics: Scenario = {
  id: 'statistics',
  title: () => `全省各市 ${YEAR} 年度完成情况统计（API）`,
  note: '平台：GET /admin/api/resources/statistics_completion/actions/completion?year=…（登录会话、权限范围、统计汇总表、按职称级别、序列化）；基线：对全部 hour_declarations 做朴素 GROUP BY（按学习形式年度上限封顶、按人判定达标、再按市汇总）；两者各市达标人数逐行比对一致',
  target: { text: '< 500 ms 且比朴素统计快 ≥ 10×', maxMedianMs: 500, minSpeedup: 10 },
  async run(ctx) {
    const req = requirementFor(YEAR);
    // The yearly-totals rule (migration 015 ce_year_totals, test/helpers/year-totals.ts): a form's
    // cap of the year (its latest rule in force) applies across both subjects, the records
    // counting in the order they were made (id). Until this stop the baseline capped each
    // subject separately and disagreed with the platform on 111 of 2,842 completed persons.
    const naiveSql = `WITH caps AS (
        SELECT DISTINCT ON (r.learning_form_id) r.learning_form_id, r.cap_per_year
          FROM learning_form_rules r WHERE r.effective_year <= $1
         ORDER BY r.learning_form_id, r.effective_year DESC, r.id DESC),
      running AS (
        SELECT h.person_id, h.subject_type, h.approved_hours, c.cap_per_year,
               sum(h.approved_hours) OVER (PARTITION BY h.person_id, h.learning_form_id ORDER BY h.id) AS upto
          FROM hour_declarations h LEFT JOIN caps c ON c.learning_form_id = h.learning_form_id
         WHERE h.status = 'approved' AND h.year = $1),
      per_person AS (
        SELECT person_id,
               coalesce(sum(CASE WHEN cap_per_year IS NULL THEN approved_hours ELSE greatest(0, least(approved_hours, cap_per_year - (upto - approved_hours))) END)
                 FILTER (WHERE subject_type = 'public'), 0) pub,
               coalesce(sum(CASE WHEN cap_per_year IS NULL THEN approved_hours ELSE greatest(0, least(approved_hours, cap_per_year - (upto - approved_hours))) END)
                 FILTER (WHERE subject_type = 'professional'), 0) prof
          FROM running GROUP BY person_id)
      SELECT split_part(p.org_path, '/', 3) city,
             count(*) FILTER (WHERE pub >= ${req.public} AND prof >= ${req.professional} AND pub + prof >= ${req.total}) completed
        FROM per_person pp JOIN persons p ON p.id = pp.person_id WHERE p.status = 'active' GROUP BY 1 ORDER BY 1`;
    const s = await ctx.login(PROVINCE_ADMIN);
    let body: ApiBody = { byArea: [] };
    let naive: Array<{ city: string; completed: string }> = [];
    const platformMs = await repeat(ctx.flags.runs, async () => {
      body = await s.json<ApiBody>(`/admin/api/resources/statistics_completion/actions/completion?year=${YEAR}`);
    }, 1);
    const baselineMs = await repeat(Math.min(ctx.flags.runs, 3), async () => { naive = (await ctx.pool.query(naiveSql, [YEAR])).rows; }, 0);
    const fromApi = new Map(body.byArea.filter((r) => r.areaId !== null).map((r) => [String(r.areaId), r.completed]));
    const consistent = naive.every((r) => (fromApi.get(r.city) ?? 0) === Number(r.completed));
    return { platformMs, baselineMs, extra: { regions: fromApi.size, consistent: consistent ? 'yes' : 'NO' },
      caveat: consistent ? undefined : '统计汇总与明细统计结果不一致' };
  },
};
