/**
 * Issue 14, item 5: nobody fills the disk. No multipart body is parsed to disk before the session
 * and the CSRF token are checked; every temp file (formidable's uploads, exceljs's `tmp-*` sheet
 * copies) is gone when its request or job ends, whatever the outcome; a file over the limit is
 * HTTP 413 in Chinese. The process's temp folder is a private one (os.tmpdir() answers it before
 * the platform loads: formidable, exceljs's `tmp` and the platform's own temp folder all ask it),
 * so files of other processes on the machine cannot blur the count.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import ExcelJS from 'exceljs';
import { jest } from '@jest/globals';
import { QueryTypes } from 'sequelize';
import type { Client, TestPlatform } from '../helpers/platform.js';

const privateTmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-tmpfiles-test-'));
jest.spyOn(os, 'tmpdir').mockReturnValue(privateTmp);

let t: TestPlatform;
let lixia: Client;
let helpers: typeof import('../helpers/platform.js');
const IMPORT = '/admin/api/resources/hour_declarations/actions/importHours';

beforeAll(async () => {
  helpers = await import('../helpers/platform.js');
  const { DEMO_ACCOUNTS } = await import('../../src/db/demo-accounts.js');
  t = await helpers.startTestPlatform();
  lixia = await helpers.loggedIn(t.base, DEMO_ACCOUNTS.find((a) => a.organisationName === '历下区人力资源和社会保障局' && a.isSuper)!.idNumber);
});
afterAll(async () => {
  await t.close();
  jest.restoreAllMocks();
  fs.rmSync(privateTmp, { recursive: true, force: true });
});

/** Every file under the private temp folder but the test platform's own data folder. */
function tempFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) { if (e.name !== 'ce-platform-test') walk(full); } else out.push(path.relative(privateTmp, full));
    }
  };
  walk(privateTmp);
  return out;
}
async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 20_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) { if (await ok()) return; await new Promise((r) => setTimeout(r, 50)); }
  throw new Error(`等待超时：${what}`);
}
const multipart = (bytes: number, name = 'x.xlsx') => {
  const f = new FormData();
  f.append('file', new Blob([new Uint8Array(bytes)]), name);
  return f;
};

describe('before the session and the CSRF token, nothing reaches the disk', () => {
  it('1 MB multipart posts to any /admin path, logged out, leave no file', async () => {
    const anonymous = new helpers.Client(t.base);
    const paths = ['/admin/anything', '/admin/login', '/admin/forgot-password', '/admin/api/resources/persons/actions/list', IMPORT, '/admin/password'];
    for (const p of paths) {
      const res = await anonymous.request(p, { method: 'POST', body: multipart(1024 * 1024) });
      expect(res.status).not.toBe(500);
      await res.arrayBuffer();
    }
    expect(tempFiles()).toEqual([]);
  });

  it('logged in but without the CSRF header: 403, the upload is never parsed', async () => {
    const forged = await helpers.loggedIn(t.base, (await import('../../src/db/demo-accounts.js')).DEMO_ACCOUNTS[2].idNumber);
    forged.withoutCsrf = true;
    const res = await forged.request(IMPORT, { method: 'POST', body: multipart(1024 * 1024) });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('CSRF');
    expect(tempFiles()).toEqual([]);
  });
});

describe('temp files end with their request or job', () => {
  const finished = async (jobId: number) => {
    let status = '';
    await until('导入任务结束', async () => {
      [{ status }] = await t.platform.db.owner.query<{ status: string }>('SELECT status FROM import_jobs WHERE id = :jobId', { replacements: { jobId }, type: QueryTypes.SELECT });
      return ['succeeded', 'failed'].includes(status);
    }, 60_000);
    return status;
  };
  const header = ['姓名', '身份证号', '培训项目名称', '开始日期', '结束日期', '组织单位', '培训学时', '证明材料'];

  it('an import written by exceljs itself (sheets before shared strings) leaves no upload_* and no tmp-* file', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('导入');
    ws.addRow(header);
    for (let i = 0; i < 20; i++) ws.addRow(['某人', '370102199001010017', `临时文件测试${i}`, '2026-04-01', '2026-04-02', '本单位', '8', '签到表']);
    const f = new FormData();
    f.append('file', new Blob([new Uint8Array(Buffer.from(await wb.xlsx.writeBuffer()))]), '导入.xlsx');
    const up = await lixia.json<{ jobId: number }>(IMPORT, { method: 'POST', body: f });
    expect(up.status).toBe(200);
    expect(await finished(up.body.jobId)).toBe('succeeded');
    expect(tempFiles()).toEqual([]);
  });

  it('a workbook without a shared-strings part (inline strings, as the streaming writer makes them) leaves none either', async () => {
    const out = path.join(os.tmpdir(), 'inline.xlsx');
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: out, useSharedStrings: false, useStyles: false });
    const ws = wb.addWorksheet('导入');
    ws.addRow(header).commit();
    ws.addRow(['某人', '370102199001010017', '内联字符串', '2026-04-01', '2026-04-02', '本单位', '8', '签到表']).commit();
    ws.commit();
    await wb.commit();
    const bytes = fs.readFileSync(out);
    fs.rmSync(out);
    const f = new FormData();
    f.append('file', new Blob([new Uint8Array(bytes)]), '内联.xlsx');
    const up = await lixia.json<{ jobId: number }>(IMPORT, { method: 'POST', body: f });
    expect(await finished(up.body.jobId)).toBe('succeeded');
    const [job] = await t.platform.db.owner.query<{ total_rows: number }>('SELECT total_rows FROM import_jobs WHERE id = :id', { replacements: { id: up.body.jobId }, type: QueryTypes.SELECT });
    expect(job.total_rows).toBe(1);
    expect(tempFiles()).toEqual([]);
  });

  it('a refused upload (not an xlsx) leaves no file', async () => {
    const bad = await lixia.json<{ notice?: { message: string } }>(IMPORT, { method: 'POST', body: multipart(300 * 1024, 'x.pdf') });
    expect(bad.body.notice?.message).toMatch(/[\u4e00-\u9fff]/);
    expect(tempFiles()).toEqual([]);
  });

  it('over the limit: HTTP 413 with a Chinese message, and nothing left', async () => {
    const res = await lixia.json<{ notice: { message: string } }>(IMPORT, { method: 'POST', body: multipart(21 * 1024 * 1024) });
    expect(res.status).toBe(413);
    expect(res.body.notice.message).toBe('文件过大：单次上传不能超过 20 MB');
    // A body without a length (chunked) is cut off at the limit as it streams in.
    const chunked = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const csrf = decodeURIComponent((lixia as unknown as { jar: Map<string, string> }).jar.get('XSRF-TOKEN')!);
      const cookie = [...(lixia as unknown as { jar: Map<string, string> }).jar].map(([k, v]) => `${k}=${v}`).join('; ');
      const req = http.request(`${t.base}${IMPORT}`, { method: 'POST', headers: { cookie, 'x-xsrf-token': csrf, 'content-type': 'multipart/form-data; boundary=XYZ', 'transfer-encoding': 'chunked' } }, (res) => {
        let body = '';
        res.on('data', (d) => { body += d; });
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      });
      req.on('error', reject);
      req.write('--XYZ\r\nContent-Disposition: form-data; name="file"; filename="big.xlsx"\r\nContent-Type: application/octet-stream\r\n\r\n');
      const mb = Buffer.alloc(1024 * 1024, 0x41);
      let sent = 0;
      const pump = () => {
        while (sent < 22) { sent++; if (!req.write(mb)) return req.once('drain', pump); }
        req.end('\r\n--XYZ--\r\n');
      };
      pump();
    });
    expect(chunked.status).toBe(413);
    expect(chunked.body).toContain('文件过大');
    await until('上传的临时文件被删除', () => tempFiles().length === 0);
  });

  it('an upload the client abandons half-way leaves nothing', async () => {
    const jar = (lixia as unknown as { jar: Map<string, string> }).jar;
    const req = http.request(`${t.base}${IMPORT}`, {
      method: 'POST',
      headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '), 'x-xsrf-token': decodeURIComponent(jar.get('XSRF-TOKEN')!), 'content-type': 'multipart/form-data; boundary=XYZ', 'content-length': String(5 * 1024 * 1024) },
    });
    req.on('error', () => {});
    req.write('--XYZ\r\nContent-Disposition: form-data; name="file"; filename="half.xlsx"\r\n\r\n');
    req.write(Buffer.alloc(1024 * 1024, 0x42));
    await until('上传开始写入临时文件', () => tempFiles().length > 0);
    req.destroy();
    await until('中断的上传的临时文件被删除', () => tempFiles().length === 0);
  });
});
