/**
 * 批量导入: download the template, upload the filled file, watch the progress; at the end the
 * counts and, if any row failed, the report of failed rows with their reasons (导出失败信息).
 */
import React, { useEffect, useRef, useState } from 'react';
import { ApiClient, useNotice, type ActionProps } from 'adminjs';
import { Box, Button, H5, Link, Text } from '@adminjs/design-system';

interface Job { id: number; status: string; progress: number; total_rows: number; valid_rows: number; error_rows: number; committed_rows: number; error: string | null; has_report: boolean }
const api = new ApiClient();
const STATUS: Record<string, string> = { queued: '排队中', validating: '正在校验', committing: '正在写入', succeeded: '导入完成', failed: '导入失败' };

const ImportJob: React.FC<ActionProps> = ({ resource, action }) => {
  const custom = (action.custom ?? {}) as { template: string; note?: string };
  const [file, setFile] = useState<File | null>(null);
  const [job, setJob] = useState<Job | null>(null);
  const [busy, setBusy] = useState(false);
  const timer = useRef<ReturnType<typeof setInterval>>();
  const addNotice = useNotice();
  const poll = (jobId: number) => {
    timer.current = setInterval(async () => {
      const r = await api.resourceAction({ resourceId: resource.id, actionName: action.name, params: { jobId } } as never);
      const j = (r.data as { job?: Job }).job;
      if (j) setJob(j);
      if (!j || j.status === 'succeeded' || j.status === 'failed') clearInterval(timer.current);
    }, 800);
  };
  useEffect(() => () => clearInterval(timer.current), []);
  const upload = async () => {
    if (!file) return;
    setBusy(true);
    const data = new FormData();
    data.append('file', file);
    try {
      const r = await api.resourceAction({ resourceId: resource.id, actionName: action.name, data } as never);
      const d = r.data as { jobId?: number; notice?: { message: string; type: 'success' | 'error' } };
      if (d.notice) addNotice(d.notice);
      if (d.jobId) { setJob({ id: d.jobId, status: 'queued', progress: 0, total_rows: 0, valid_rows: 0, error_rows: 0, committed_rows: 0, error: null, has_report: false }); poll(d.jobId); }
    } finally { setBusy(false); }
  };
  return (
    <Box variant="white" p="xl" data-testid="import-job">
      <H5>① 下载模板</H5>
      <Text mb="xl">请先下载对应模板的文件：<Link href={custom.template} data-testid="template-link">下载导入文件</Link>（按模板要求填写，每行一条，不要修改表头）</Text>
      {custom.note && <Text mb="xl" mt="-lg" color="grey60" data-testid="import-note">{custom.note}</Text>}
      <H5>② 导入文件</H5>
      <Box mb="lg"><input type="file" accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" data-testid="import-file"
        onChange={(e) => setFile(e.target.files?.[0] ?? null)} /></Box>
      <Button variant="contained" disabled={!file || busy || (job !== null && !['succeeded', 'failed'].includes(job.status))} onClick={upload} data-testid="import-submit">导入</Button>
      {job && (
        <Box mt="xl" data-testid="import-progress">
          <Text mb="sm">{STATUS[job.status] ?? job.status}（{job.progress}%）</Text>
          <Box style={{ height: 12, background: '#e6ebf1', borderRadius: 6, overflow: 'hidden' }}>
            <Box style={{ width: `${job.progress}%`, height: '100%', background: job.status === 'failed' ? '#c0392b' : '#0b4f8a', transition: 'width .4s' }} />
          </Box>
          {job.status === 'succeeded' && (
            <Text mt="lg" data-testid="import-summary">共 {job.total_rows} 行：成功导入 {job.committed_rows} 行，失败 {job.error_rows} 行。</Text>
          )}
          {job.error && <Text mt="lg" color="error">{job.error}</Text>}
          {job.has_report && <Text mt="sm"><Link href={`/admin/files/import-jobs/${job.id}`} data-testid="import-report">导出失败信息</Link></Text>}
        </Box>
      )}
    </Box>
  );
};

export default ImportJob;
