/**
 * Scale data for the benchmark: units, professional persons and hour records at provincial
 * size, written with COPY (pg-copy-streams), not row inserts, on top of the demo data (the
 * organisation tree, the demo accounts and catalogs come from the ordinary seed).
 *
 *   DATABASE_URL=postgres://… npx tsx bench/generate.ts [--persons=1000000] [--records=5000000] [--units=20000]
 *   DATABASE_URL=postgres://… npx tsx bench/generate.ts --size=smoke
 *
 * - units are spread evenly over the "areas": every county of config/regions.ts, and the cities
 *   whose counties are not modelled (their units hang below the city's bureau);
 * - persons are spread evenly over the units; ID numbers are valid (GB 11643 check digit,
 *   region = the area's code, real birth dates), credit codes are valid (GB 32100);
 * - hour records: years 2024–2026, ~85 % approved, the rest pending / rejected /
 *   verification failed, learning forms of the catalog;
 * - person_year_hours is filled by one INSERT … SELECT with the rollup's own rules (approved
 *   hours by subject type, each learning form capped at its yearly cap, the requirement);
 * - secondary indexes of the big tables are dropped before COPY and rebuilt after; FK triggers
 *   are skipped during COPY (session_replication_role = replica; the generator writes only ids
 *   it has just created or read); ANALYZE at the end.
 *
 * Idempotent per database: the sizes generated are kept in app_settings ('bench.generated');
 * a second call with the same sizes does nothing.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { generateCreditCode, idNumberCheckChar } from '../src/domain/identifiers.js';
import { titleSeries, levelsOf, titlesAt } from '../config/title-series.js';
import { requirementFor } from '../config/yearly-requirements.js';

export interface Sizes { persons: number; records: number; units: number }
export const SIZES: Record<string, Sizes> = {
  smoke: { persons: 30_000, records: 120_000, units: 600 },
  small: { persons: 100_000, records: 500_000, units: 2_000 },
  full: { persons: 1_000_000, records: 5_000_000, units: 20_000 },
  // Issue 16 item 7: Shandong's order of magnitude, run once and reported in the README.
  province: { persons: 6_000_000, records: 30_000_000, units: 110_000 },
};
export const YEARS = [2024, 2025, 2026];

/** --size=smoke|small|full, then --persons/--records/--units override. */
export function sizesFromArgs(argv: string[], fallback = 'full'): Sizes & { size: string } {
  const get = (n: string) => argv.find((a) => a.startsWith(`--${n}=`))?.split('=')[1];
  const size = get('size') ?? fallback;
  const base = SIZES[size];
  if (!base) throw new Error(`unknown --size=${size} (${Object.keys(SIZES).join(', ')})`);
  const num = (n: keyof Sizes) => (get(n) !== undefined ? Number(get(n)) : base[n]);
  return { size, persons: num('persons'), records: num('records'), units: num('units') };
}

/** mulberry32: small, fast, deterministic. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SURNAMES = '王张李刘陈杨赵孙徐马高于董郭宋周吴韩朱胡曹孟崔姜田许袁郑秦魏程梁付邢尹石范吕丁薛侯贾谢冯房蒋颜孔庞牟鲁毕';
const MALE = '伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宁建国峰浩凯亮东文博晨宇志海林成帅龙健永振新庆学兴德俊毅昊泽坤广春金立晓书瑞';
const FEMALE = '芳娜敏静丽艳娟霞秀玲燕红萍婷雪慧莉倩琳颖洁佳欣悦晶丹蕾璐月梅琴晓文春玉雨思凤兰美荣楠萌瑶彤宁书瑞';
const UNIT_KINDS = ['科技有限公司', '人民医院', '中学', '设计研究院', '建设集团有限公司', '农业技术推广站', '会计师事务所', '小学', '职业学院', '检验检测中心'];
const EDUCATION = ['doctor', 'master', 'bachelor', 'bachelor', 'bachelor', 'college', 'college', 'secondary'];
const HOURS = [4, 6, 8, 8, 12, 12, 16, 24, 30, 40];

async function copyRows(client: pg.Client, sql: string, rows: () => Generator<string>): Promise<void> {
  async function* chunks() {
    let buf: string[] = [];
    for (const line of rows()) {
      buf.push(line);
      if (buf.length === 2000) { yield buf.join(''); buf = []; }
    }
    if (buf.length) yield buf.join('');
  }
  await pipeline(Readable.from(chunks()), client.query(copyFrom(sql)));
}

/** Secondary (non-constraint) indexes of a table: dropped before COPY, rebuilt after. */
async function secondaryIndexes(client: pg.Client, table: string): Promise<{ name: string; def: string }[]> {
  const r = await client.query<{ name: string; def: string }>(
    `SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
      WHERE i.schemaname = 'public' AND i.tablename = $1
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`, [table]);
  return r.rows;
}

export interface GenerateResult { ms: number; skipped: boolean; persons: number; records: number; units: number; phases: Record<string, number> }

export async function generate(url: string, sizes: Sizes, log: (s: string) => void = console.log): Promise<GenerateResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const t0 = performance.now();
  const phases: Record<string, number> = {};
  let tPhase = performance.now();
  const phase = (name: string) => { const now = performance.now(); phases[name] = Math.round(now - tPhase); tPhase = now; log(`  ${name}: ${(phases[name] / 1000).toFixed(1)} s`); };
  try {
    const marker = JSON.stringify(sizes);
    const done = await client.query<{ value: string }>("SELECT value FROM app_settings WHERE key = 'bench.generated'");
    if (done.rows[0]?.value === marker) {
      const g = (await client.query<{ value: string }>("SELECT value FROM app_settings WHERE key = 'bench.generation'")).rows[0];
      const earlier = g ? JSON.parse(g.value) as { ms: number; phases: Record<string, number> } : { ms: 0, phases };
      return { ms: earlier.ms, skipped: true, ...sizes, phases: earlier.phases };
    }
    if (done.rows[0]) throw new Error(`this database already holds generated data of other sizes (${done.rows[0].value}): use a fresh database`);
    log(`生成基准数据：单位 ${sizes.units}，专技人员 ${sizes.persons}，学时记录 ${sizes.records}`);

    await client.query("SET session_replication_role = replica");
    await client.query("SET maintenance_work_mem = '512MB'");

    // ---------------------------------------------------------------- areas and units
    const areas = (await client.query<{ id: number; path: string; region_code: string; name: string }>(
      `SELECT o.id, o.path, o.region_code, o.name FROM organisations o
        WHERE o.kind = 'county_hr'
           OR (o.kind = 'city_hr' AND NOT EXISTS (SELECT 1 FROM organisations c WHERE c.parent_id = o.id AND c.kind = 'county_hr'))
        ORDER BY o.region_code`)).rows;
    const { rows: [{ max: maxOrg }] } = await client.query<{ max: number }>('SELECT max(id)::int AS max FROM organisations');
    const usedCredit = new Set((await client.query<{ c: string }>('SELECT credit_code AS c FROM organisations WHERE credit_code IS NOT NULL')).rows.map((r) => r.c));
    const units: { id: number; path: string; region: string }[] = [];
    let creditSeed = 7_000_000;
    const rU = rng(1);
    const unitLines = function* () {
      for (let i = 0; i < sizes.units; i++) {
        const area = areas[i % areas.length];
        const id = maxOrg + 1 + i;
        const path = `${area.path}${id}/`;
        let code: string;
        // 91 (企业) + the area's region code: every GB 32100 rule holds, the GB 11714 inner check too.
        do code = generateCreditCode(creditSeed++, { authority: '9', type: '1', region: area.region_code }); while (usedCredit.has(code));
        units.push({ id, path, region: area.region_code });
        const name = `${area.name.replace('人力资源和社会保障局', '')}第${i + 1}${UNIT_KINDS[Math.floor(rU() * UNIT_KINDS.length)]}`;
        yield `${id}\t${area.id}\tunit\t${name}\t${area.region_code}\t${code}\t${path}\t${path.split('/').length - 3}\tactive\n`;
      }
    };
    await copyRows(client, 'COPY organisations (id, parent_id, kind, name, region_code, credit_code, path, depth, status) FROM STDIN', unitLines);
    await client.query("SELECT setval(pg_get_serial_sequence('organisations', 'id'), (SELECT max(id) FROM organisations))");
    phase('units');

    // ---------------------------------------------------------------- persons
    const personIdx = await secondaryIndexes(client, 'persons');
    for (const i of personIdx) await client.query(`DROP INDEX ${i.name}`);
    const { rows: [{ max: maxPerson }] } = await client.query<{ max: number }>('SELECT coalesce(max(id), 0)::int AS max FROM persons');
    const usedIds = new Set((await client.query<{ n: string }>('SELECT id_number AS n FROM persons')).rows.map((r) => r.n));
    const firstPerson = maxPerson + 1;
    // Birth dates 1960-01-01 … +14,600 days; per area a counter k gives (day, sequence) pairs
    // that never repeat: day = k·37 mod 14600 (37 is prime to 14600), sequence = k div 14600.
    const DAYS = 14_600;
    const dates: string[] = [];
    for (let d = 0; d < DAYS; d++) dates.push(new Date(Date.UTC(1960, 0, 1) + d * 86_400_000).toISOString().slice(0, 10));
    const areaCounter = new Map<string, number>();
    const personUnit = new Int32Array(sizes.persons);
    const rP = rng(2);
    const personLines = function* () {
      for (let i = 0; i < sizes.persons; i++) {
        const u = i % units.length;
        const unit = units[u];
        personUnit[i] = u;
        let idNumber: string; let seq: number; let day: number;
        do {
          const k = areaCounter.get(unit.region) ?? 0;
          areaCounter.set(unit.region, k + 1);
          day = (k * 37) % DAYS; seq = Math.floor(k / DAYS);
          const first17 = `${unit.region}${dates[day].replaceAll('-', '')}${String(seq).padStart(3, '0')}`;
          idNumber = first17 + idNumberCheckChar(first17);
        } while (usedIds.has(idNumber));
        const male = seq % 2 === 1;
        const pool = male ? MALE : FEMALE;
        let name = SURNAMES[Math.floor(rP() * rP() * SURNAMES.length)] + pool[Math.floor(rP() * pool.length)];
        if (rP() < 0.6) name += pool[Math.floor(rP() * pool.length)];
        // A level the series has and a title of one of its tracks at that level: every person's title fits the catalog.
        const series = titleSeries[Math.floor(rP() * titleSeries.length)].name;
        const levels = levelsOf(series);
        const level = levels[Math.min(levels.length - 1, Math.floor(rP() * rP() * levels.length * 1.5))];
        const titles = titlesAt(series, level);
        const title = titles[Math.floor(rP() * titles.length)].title;
        const edu = EDUCATION[Math.floor(rP() * EDUCATION.length)];
        const mobile = `13${String(800_000_000 + i).slice(0, 9)}`;
        yield `${firstPerson + i}\t${idNumber}\t${name}\t${male ? 'M' : 'F'}\t${dates[day]}\t${unit.id}\t${unit.path}\t${series}\t${level}\t${title}\t${edu}\t${mobile}\tactive\n`;
      }
    };
    await copyRows(client, 'COPY persons (id, id_number, name, gender, birth_date, unit_id, org_path, title_series, title_level, title, education, mobile, status) FROM STDIN', personLines);
    await client.query("SELECT setval(pg_get_serial_sequence('persons', 'id'), (SELECT max(id) FROM persons))");
    phase('persons (COPY)');
    for (const i of personIdx) await client.query(i.def);
    phase('persons (indexes)');

    // ---------------------------------------------------------------- hour records
    const forms = (await client.query<{ id: number; subject_types: string[] }>('SELECT id, subject_types FROM learning_forms WHERE active ORDER BY id')).rows;
    const pubForms = forms.filter((f) => f.subject_types.includes('public')).map((f) => f.id);
    const profForms = forms.filter((f) => f.subject_types.includes('professional')).map((f) => f.id);
    const hourIdx = await secondaryIndexes(client, 'hour_declarations');
    for (const i of hourIdx) await client.query(`DROP INDEX ${i.name}`);
    const rH = rng(3);
    const hourLines = function* () {
      for (let r = 0; r < sizes.records; r++) {
        const i = r % sizes.persons;
        const unit = units[personUnit[i]];
        const year = YEARS[Math.floor(rH() * YEARS.length)];
        const pub = rH() < 0.35;
        const formList = pub ? pubForms : profForms;
        const form = formList[Math.floor(rH() * formList.length)];
        const hours = HOURS[Math.floor(rH() * HOURS.length)];
        const x = rH();
        const status = x < 0.85 ? 'approved' : x < 0.93 ? 'pending' : x < 0.98 ? 'rejected' : 'verification_failed';
        const decided = status !== 'pending';
        const approved = status === 'approved' || status === 'verification_failed' ? String(hours) : '\\N';
        // 审验不通过 is a step after the approval (migration 011): the first decision keeps no reason, the verification has its own.
        const reason = status === 'rejected' ? '证明材料不全' : '\\N';
        const verificationReason = status === 'verification_failed' ? '审验发现学时重复' : '\\N';
        const month = 1 + Math.floor(rH() * 10);
        const at = `${year}-${String(month).padStart(2, '0')}-15 10:00:00+08`;
        const verifiedAt = status === 'verification_failed' ? `${year}-${String(month).padStart(2, '0')}-25 10:00:00+08` : '\\N';
        yield `${firstPerson + i}\t${unit.id}\t${unit.path}\t${year}\t${pub ? 'public' : 'professional'}\t${form}\thr\t${year}年度继续教育第${(r % 97) + 1}期\t${hours}\t${approved}\t${status}\t${reason}\t${decided ? at : '\\N'}\t${at}\t${verificationReason}\t${verifiedAt}\n`;
      }
    };
    await copyRows(client, 'COPY hour_declarations (person_id, unit_id, org_path, year, subject_type, learning_form_id, channel, activity_name, declared_hours, approved_hours, status, reason, decided_at, created_at, verification_reason, verified_at) FROM STDIN', hourLines);
    phase('hour records (COPY)');
    for (const i of hourIdx) await client.query(i.def);
    phase('hour records (indexes)');

    // ---------------------------------------------------------------- rollup
    const rollupIdx = await secondaryIndexes(client, 'person_year_hours');
    for (const i of rollupIdx) await client.query(`DROP INDEX ${i.name}`);
    await client.query("SET work_mem = '256MB'");
    // Statistics of the tables just loaded, before the rebuild plans its reads of them.
    await client.query('ANALYZE hour_declarations, persons');
    // The one yearly-totals rule (migration 009's ce_year_totals), over every person-year loaded.
    await client.query('SELECT ce_rebuild_year_totals($1)', [firstPerson]);
    phase('person_year_hours (INSERT … SELECT)');

    await client.query('RESET session_replication_role');
    for (const i of rollupIdx) await client.query(i.def);
    // The statistics rollups (migration 007) are kept by triggers, which replica mode switched
    // off for the load: recompute them once from the records.
    await client.query('SELECT stat_rebuild()');
    phase('statistics rollups (stat_rebuild)');
    // VACUUM too, not only ANALYZE: a table just written by COPY has no visibility map yet, so
    // index-only scans would visit the heap — unlike a table that autovacuum keeps.
    for (const t of ['organisations', 'persons', 'hour_declarations', 'person_year_hours', 'stat_persons', 'stat_series', 'stat_completion', 'stat_hours']) await client.query(`VACUUM ANALYZE ${t}`);
    phase('indexes, VACUUM ANALYZE');
    const ms = performance.now() - t0;
    await client.query("INSERT INTO app_settings (key, value) VALUES ('bench.generated', $1), ('bench.generation', $2)",
      [marker, JSON.stringify({ ms: Math.round(ms), phases, at: new Date().toISOString() })]);
    log(`基准数据已生成，用时 ${(ms / 1000).toFixed(1)} 秒`);
    return { ms, skipped: false, ...sizes, phases };
  } finally {
    await client.end();
  }
}

// CLI: migrate + demo seed (through the platform's boot) if the database is empty, then generate.
if (process.argv[1]?.endsWith('/bench/generate.ts')) {
  const url = process.env.DATABASE_URL;
  if (!url) { console.error('请设置 DATABASE_URL'); process.exit(2); }
  const sizes = sizesFromArgs(process.argv.slice(2));
  const { bootPlatform } = await import('../src/boot.js');
  const platform = await bootPlatform({ url, seed: true, seedPersons: 2_000, log: console.log });
  await platform.close();
  const r = await generate(url, sizes);
  console.log(JSON.stringify(r));
  process.exit(0);
}
