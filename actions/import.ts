/**
 * 批量导入: POST uploads a filled template and starts the import job; GET ?jobId= reports its
 * progress (the panel draws a progress bar from it). The job runs in the background through
 * the import engine, in the requesting admin's scope.
 */
import { AppError, type ActionContext, type ActionRequest } from 'adminjs';
import { Op } from 'sequelize';
import { principalOf } from '../src/admin/scoped-resource.js';
import { scopeOf } from '../src/access/scope.js';
import { readUpload, UploadError, type UploadedFile } from '../src/services/uploads.js';
import { startImportJob } from '../src/services/import/engine.js';
import { Components } from '../src/admin/components/index.js';
import { audit } from '../src/services/audit.js';
import { bodyOf, isPost, sequelizeOf } from './request-data.js';

export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

export function importAction(kind: 'hours' | 'persons') {
  return {
    actionType: 'resource' as const,
    icon: 'Upload',
    component: Components.ImportJob,
    custom: {
      kind, template: `/admin/files/templates/${kind}`,
      note: kind === 'persons' ? '导入成功后登录账号为身份证号，初始密码为身份证号后六位，首次登录时须修改密码。' : undefined,
    },
    async handler(request: ActionRequest, _res: unknown, context: ActionContext) {
      const p = principalOf(context);
      const sequelize = sequelizeOf(context);
      if (!isPost(request)) {
        const jobId = Number(request.query?.jobId);
        if (!jobId) return {};
        const scope = scopeOf(p, 'import_jobs', 'show');
        const job = Number.isSafeInteger(jobId) ? await sequelize.model('ImportJob').findOne({
          where: { [Op.and]: [{ id: jobId, kind }, scope.where] },
          attributes: [...scope.fields, [sequelize.literal('error_report IS NOT NULL'), 'has_report']], raw: true,
        }) : null;
        if (!job) throw new AppError('导入任务不存在');
        return { job };
      }
      const file = bodyOf(request).file as UploadedFile | undefined;
      if (!file || typeof file !== 'object' || !('size' in file)) throw new AppError('请先选择要导入的文件');
      let upload;
      try {
        upload = await readUpload(file, { maxBytes: MAX_IMPORT_BYTES, kinds: ['docx_or_xlsx'] });
      } catch (e) {
        if (e instanceof UploadError) throw new AppError(e.message === '文件类型不受支持，请上传 PDF、Word/Excel（docx/xlsx）或图片（JPG/PNG）' ? '请上传 Excel（xlsx）文件' : e.message);
        throw e;
      }
      const [[job]] = await sequelize.query(
        `INSERT INTO import_jobs (kind, organisation_id, org_path, requested_by, file_name, file) VALUES (:kind, :org, :path, :me, :name, :file) RETURNING id`,
        { replacements: { kind, org: p.organisationId, path: p.orgPath, me: p.accountId, name: upload.name, file: upload.bytes } },
      ) as unknown as [[{ id: number }]];
      await audit({ actor: p, action: 'import_upload', resource: `import_jobs:${kind}`, recordId: job.id, after: { file: upload.name, bytes: upload.bytes.length } });
      startImportJob(sequelize, job.id);
      return { jobId: job.id, notice: { message: '文件已上传，正在导入', type: 'success' } };
    },
  };
}
