/**
 * Adversarial suite over HTTP, part 2: hostile files through the real import (a zip bomb, one
 * that lies about its size, a sheet past the row cap, thousands of entries, a PNG or PDF named
 * .xlsx, a truncated zip, XML with a DTD and external entities, a ZIP that is no workbook),
 * hostile strings in imported cells, and an import whose batch dies half-way. Each file is
 * refused with a Chinese message; no job is half-applied; memory stays bounded.
 */
import ExcelJS from 'exceljs';
import { QueryTypes } from 'sequelize';
import { loggedIn, startTestPlatform, type Client, type TestPlatform } from '../helpers/platform.js';
import { HOSTILE, Tally, createSandbox } from '../helpers/adversarial.js';
import { deflateBomb, unzip, zip } from '../helpers/zip.js';
import { IMPORT_LIMITS } from '../../src/services/import/engine.js';

let t: TestPlatform;
let c: Client;
const tally = new Tally();
const CHINESE = /[\u4e00-\u9fff]/;
const ACTION = '/admin/api/resources/hour_declarations/actions/importHours';
const HEADER = ['姓名', '身份证号', '培训项目名称', '开始日期', '结束日期', '组织单位', '培训学时', '证明材料'];
let persons: Array<{ id: number; name: string; id_number: string }> = [];

async function q<T extends object>(sql: string, r: Record<string, unknown> = {}) {
  return t.platform.db.owner.query<T>(sql, { replacements: r, type: QueryTypes.SELECT });
}

beforeAll(async () => {
  t = await startTestPlatform();
  const box = await createSandbox(t.platform.db.owner, '对抗导入测试', 40, 'Imp#Pass2026');
  persons = box.persons;
  c = await loggedIn(t.base, box.admin.idNumber, 'Imp#Pass2026');
});
afterAll(async () => {
  console.log(tally.line('hostile files, imported cells, interrupted import'));
  await t.close();
});

async function upload(bytes: Buffer, name = '导入.xlsx') {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)]), name);
  return c.json<{ jobId?: number; notice?: { message: string; type: string } }>(ACTION, { method: 'POST', body: form });
}
interface Job { status: string; total_rows: number; committed_rows: number; error_rows: number; error: string | null }
async function finished(jobId: number, onPoll?: () => void): Promise<Job> {
  for (let i = 0; i < 600; i++) {
    onPoll?.();
    const r = await c.json<{ job: Job }>(`${ACTION}?jobId=${jobId}`);
    if (['succeeded', 'failed'].includes(r.body.job.status)) return r.body.job;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error('import did not finish');
}
async function workbook(rows: unknown[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('导入');
  ws.addRow(HEADER);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
const row = (i: number, activity: string, start = '2025-05-01') => {
  const p = persons[i % persons.length];
  return [p.name, p.id_number, activity, start, start, '本单位', '1', '签到表'];
};
/** A real workbook with one part replaced or added. */
async function withPart(part: string, content: Buffer | ReturnType<typeof deflateBomb>, declaredSize?: number): Promise<Buffer> {
  const parts = await unzip(await workbook([row(0, '炸弹测试')]));
  const entries = [...parts].filter(([n]) => n !== part).map(([name, data]) => ({ name, data }));
  return zip([...entries, Buffer.isBuffer(content) ? { name: part, data: content, declaredSize } : { name: part, deflated: content, declaredSize }]);
}

/** The job is refused as a whole: failed, a Chinese reason, nothing committed. */
async function refusedWholly(bytes: Buffer, expected: RegExp, name?: string) {
  const declarations = async () => (await q<{ n: string }>('SELECT count(*) n FROM hour_declarations WHERE person_id IN (:ids)', { ids: persons.map((p) => p.id) }))[0].n;
  const before = await declarations();
  const r = await upload(bytes, name);
  if (!r.body.jobId) {
    // Refused at upload (typed by content): no job at all.
    expect(r.body.notice?.type).toBe('error');
    expect(r.body.notice?.message).toMatch(expected);
  } else {
    let peak = 0;
    const job = await finished(r.body.jobId, () => { peak = Math.max(peak, process.memoryUsage().rss); });
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(expected);
    expect(job.error).toMatch(CHINESE);
    expect(job.committed_rows).toBe(0);
    (refusedWholly as { peak?: number }).peak = Math.max((refusedWholly as { peak?: number }).peak ?? 0, peak);
  }
  expect(await declarations()).toBe(before);
  tally.add('hostile file refused');
}

describe('hostile files through the real HTTP import', () => {
  it('a zip bomb: the sheet inflates to 210 MB (honest headers), refused before parsing', async () => {
    const bomb = deflateBomb('<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>', ' ', 210, '</sheetData></worksheet>');
    const bytes = await withPart('xl/worksheets/sheet1.xml', bomb);
    expect(bytes.length).toBeLessThan(1024 * 1024);
    await refusedWholly(bytes, /解压后过大/);
  });

  it('a zip bomb whose header lies (declares 1 KB): refused as it inflates, memory bounded', async () => {
    const rssBefore = process.memoryUsage().rss;
    const bomb = deflateBomb('<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">', '<si><t>x</t></si>', 300, '</sst>');
    const bytes = await withPart('xl/sharedStrings.xml', bomb, 1024);
    await refusedWholly(bytes, /压缩炸弹|过大/);
    expect((refusedWholly as { peak?: number }).peak! - rssBefore).toBeLessThan(150 * 1024 * 1024);
  });

  it('thousands of entries', async () => {
    const parts = await unzip(await workbook([row(0, '条目测试')]));
    const entries = [...parts].map(([name, data]) => ({ name, data }));
    for (let i = 0; i < 3000; i++) entries.push({ name: `xl/media/pad${i}.xml`, data: Buffer.from('<a/>') });
    await refusedWholly(zip(entries), /内部文件过多/);
  });

  it('a PNG, a PDF and a text file named .xlsx; an empty file', async () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(200)]);
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF');
    for (const bytes of [png, pdf, Buffer.from('姓名,身份证号\n张三,1'), Buffer.alloc(0)]) await refusedWholly(bytes, /请上传 Excel（xlsx）文件/, '学时.xlsx');
  });

  it('a truncated zip, and a ZIP that is not a workbook', async () => {
    const good = await workbook([row(0, '截断测试')]);
    await refusedWholly(good.subarray(0, Math.floor(good.length * 0.6)), /已损坏/);
    await refusedWholly(zip([{ name: 'word/document.xml', data: Buffer.from('<w:document/>') }, { name: '[Content_Types].xml', data: Buffer.from('<Types/>') }]), /不是 Excel（xlsx）工作簿/);
  });

  it('XML with a DTD: external entities (XXE) and entity expansion', async () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>`;
    await refusedWholly(await withPart('xl/worksheets/sheet1.xml', Buffer.from(xxe)), /DTD/);
    const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol3;</t></si></sst>`;
    await refusedWholly(await withPart('xl/sharedStrings.xml', Buffer.from(laughs)), /DTD/);
    // UTF-16 does not hide it.
    await refusedWholly(await withPart('xl/workbook.xml', Buffer.from(`\ufeff${xxe}`, 'utf16le')), /DTD/);
  });

  it('a sheet beyond the row cap is refused whole, though every row is valid (cap lowered to 300 for the test)', async () => {
    const cap = IMPORT_LIMITS.maxRows;
    IMPORT_LIMITS.maxRows = 300;
    try {
      const marker = `超限测试${Date.now() % 100000}`;
      await refusedWholly(await workbook(Array.from({ length: 301 }, (_, i) => row(i, `${marker}-${i}`))), /最多导入 300 行/);
    } finally {
      IMPORT_LIMITS.maxRows = cap;
    }
  });
});

describe('hostile strings in imported cells', () => {
  it('are stored exactly, or the row is reported (too long, control characters); never a failed job', async () => {
    const stamp = Date.now() % 100000;
    // A NUL cannot travel in an xlsx (XML 1.0 has no such character; exceljs drops it on writing).
    const cases = HOSTILE.filter(([label]) => label !== 'NUL字节').map(([label, value], i) => ({ label, activity: value.length > 100 ? value : `${value}${stamp}`, i }));
    const rows = cases.map((x) => row(x.i, x.activity, `2025-06-${String(1 + (x.i % 28)).padStart(2, '0')}`));
    const job = await finished((await upload(await workbook(rows))).body.jobId!);
    expect(job.status).toBe('succeeded');
    const stored = new Set((await q<{ activity_name: string }>('SELECT activity_name FROM hour_declarations WHERE person_id IN (:ids)', { ids: persons.map((p) => p.id) })).map((x) => x.activity_name));
    const problems: string[] = [];
    for (const x of cases) {
      if (stored.has(x.activity)) { tally.add('imported cell stored exactly'); continue; }
      if (x.label === '一万字符') { tally.add('imported cell reported (too long)'); continue; }
      problems.push(`${x.label}: neither stored nor expected to be refused`);
    }
    expect(problems).toEqual([]);
    expect(job.error_rows).toBe(1);
    expect(job.committed_rows).toBe(cases.length - 1);
  });
});

describe('an import interrupted half-way', () => {
  it('a batch that dies mid-way leaves no half batch: whole batches in, the job failed and says how many', async () => {
    const s = t.platform.db.owner;
    const marker = `中断测试${Date.now() % 100000}`;
    const poison = `${marker}-250`;
    // The database refuses row 250 mid-batch, as a crash would stop it there.
    await s.query(`CREATE OR REPLACE FUNCTION adversarial_poison() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.activity_name = '${poison}' THEN RAISE EXCEPTION 'simulated crash'; END IF; RETURN NEW; END $$;
      CREATE TRIGGER adversarial_poison BEFORE INSERT ON hour_declarations FOR EACH ROW EXECUTE FUNCTION adversarial_poison();`);
    const batch = IMPORT_LIMITS.commitBatch;
    IMPORT_LIMITS.commitBatch = 100;
    try {
      const rows = Array.from({ length: 300 }, (_, i) => row(i, `${marker}-${i}`, `2024-0${1 + (i % 9)}-${String(1 + (i % 28)).padStart(2, '0')}`));
      const job = await finished((await upload(await workbook(rows))).body.jobId!);
      expect(job.status).toBe('failed');
      expect(job.error).toMatch(/已提交的批次完整有效/);
      expect(job.committed_rows).toBe(200);
      const [{ n }] = await q<{ n: string }>('SELECT count(*) n FROM hour_declarations WHERE activity_name LIKE :m', { m: `${marker}-%` });
      expect(Number(n)).toBe(200);
      // The rows in are exactly the first two batches.
      const rowsIn = await q<{ activity_name: string }>('SELECT activity_name FROM hour_declarations WHERE activity_name LIKE :m', { m: `${marker}-%` });
      expect(rowsIn.map((x) => Number(x.activity_name.split('-').pop())).sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i));
      tally.add('interrupted import: no half batch');
    } finally {
      IMPORT_LIMITS.commitBatch = batch;
      await s.query('DROP TRIGGER IF EXISTS adversarial_poison ON hour_declarations; DROP FUNCTION IF EXISTS adversarial_poison()');
    }
  });
});
