/**
 * Who may download an export job's file: the job must lie in the admin's scope for
 * `download` (its jurisdiction), the admin must hold the report's own permission, and a file
 * with whole ID numbers needs 查看完整证件号. Anything else — another county's job, a forged
 * or unknown id — is refused alike (403, no data, no hint whether the job exists), and the
 * refusal is audited.
 */
import { Op, type Sequelize } from 'sequelize';
import { holds } from '../../access/policy.js';
import { FORBIDDEN, scopeOf } from '../../access/scope.js';
import { AccessDenied } from '../../domain/errors.js';
import { FULL_ID_PERMISSION } from '../../access/personal-data.js';
import type { Principal } from '../../access/principal.js';
import { audit } from '../audit.js';
import { reportByKey } from '../reports/index.js';
import { hasFileParts, readFileParts } from './file-parts.js';

/** A file to send: its name, its size, and its bytes part by part (export_file_parts), read as they are sent. */
export type Download = { name: string; size: number | null; parts: AsyncIterable<Buffer> } | { refused: string; status: 403 | 404 };

interface FileRow { id: number; report: string; params: Record<string, unknown>; status: string; file_size: string | number | null; file_name: string | null; contains_full_id: boolean; org_path: string }

export async function downloadableExport(sequelize: Sequelize, p: Principal, rawId: string): Promise<Download> {
  const id = /^\d{1,9}$/.test(rawId) ? Number(rawId) : 0;
  let row: FileRow | null = null;
  try {
    row = await sequelize.model('ExportJob').findOne({
      where: { [Op.and]: [{ id }, scopeOf(p, 'export_jobs', 'download').where] },
      attributes: ['id', 'report', 'params', 'status', 'file_size', 'file_name', 'contains_full_id', 'org_path'], raw: true,
    }) as unknown as FileRow | null;
  } catch (e) {
    if (!(e instanceof AccessDenied)) throw e;
  }
  const def = row ? reportByKey(row.report) : undefined;
  const allowed = row && def && holds(p, def.permission) && (!def.allowed || def.allowed(p, row.params ?? {})) && (!row.contains_full_id || p.permissions.includes(FULL_ID_PERMISSION));
  if (!row || !allowed) {
    await audit({ actor: p, action: 'export_download', resource: 'export_jobs', recordId: rawId.slice(0, 20), outcome: 'refused', reason: FORBIDDEN });
    return { refused: FORBIDDEN, status: 403 };
  }
  if (row.status !== 'succeeded' || !await hasFileParts(sequelize, row.id)) return { refused: '文件尚未生成', status: 404 };
  await audit({ actor: p, action: 'export_download', resource: 'export_jobs', recordId: row.id, orgPath: row.org_path });
  return { name: row.file_name ?? `导出-${row.id}.xlsx`, size: row.file_size === null ? null : Number(row.file_size), parts: readFileParts(sequelize, row.id) };
}
