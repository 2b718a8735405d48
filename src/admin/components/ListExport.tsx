/**
 * 导出 of a list (issue 20, item 1), in a drawer over the list: the list's query comes along in
 * the URL. Shows the rows and columns the file will hold; a small list downloads at once, a
 * large one becomes an export job whose progress shows here (and in 导出任务). 保存为报表 keeps
 * the query under a name (saved reports, item 2).
 */
import React, { useEffect, useRef, useState } from 'react';
import { ApiClient, useNotice, type ActionProps } from 'adminjs';
import { useLocation } from 'react-router';
import { Box, Button, H5, Input, Label, Link, Text } from '@adminjs/design-system';

interface Plan { rows: number; inline: boolean; limit: number; columns: string[]; fullIds: boolean; download: string }
interface Job { id: number; status: string; row_count: number | null; progress_rows: number | null; total_rows: number | null; error: string | null }
const api = new ApiClient();
const STATUS: Record<string, string> = { queued: '排队中', running: '运行中', succeeded: '已完成', failed: '失败' };

const queryOf = (search: string) => {
  const out: Record<string, string> = {};
  new URLSearchParams(search).forEach((v, k) => { if (k.startsWith('filters.') || k === 'sortBy' || k === 'direction') out[k] = v; });
  return out;
};

const ListExport: React.FC<ActionProps> = ({ resource, action }) => {
  const location = useLocation();
  const query = queryOf(location.search);
  const [plan, setPlan] = useState<Plan | null>(null);
  const [error, setError] = useState('');
  const [job, setJob] = useState<Job | null>(null);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const timer = useRef<ReturnType<typeof setInterval>>();
  const addNotice = useNotice();

  useEffect(() => {
    api.resourceAction({ resourceId: resource.id, actionName: action.name, params: query } as never)
      .then((r) => setPlan(r.data as Plan))
      .catch((e) => setError((e as { response?: { data?: { notice?: { message?: string } } } }).response?.data?.notice?.message ?? '无法导出该列表'));
    return () => clearInterval(timer.current);
  }, [location.search]);

  const post = async (data: Record<string, unknown>) => {
    const r = await api.resourceAction({ resourceId: resource.id, actionName: action.name, method: 'post', data: { ...data, query } } as never);
    const d = r.data as { jobId?: number; notice?: { message: string; type: 'success' | 'error' } };
    if (d.notice) addNotice(d.notice);
    return d;
  };
  const poll = (jobId: number) => {
    clearInterval(timer.current);
    timer.current = setInterval(async () => {
      const r = await api.resourceAction({ resourceId: 'export_jobs', actionName: 'runNow', params: { jobId } } as never);
      const j = (r.data as { job?: Job }).job ?? null;
      setJob(j);
      if (!j || j.status === 'succeeded' || j.status === 'failed') clearInterval(timer.current);
    }, 1000);
  };
  const runJob = async () => {
    setBusy(true);
    try {
      const d = await post({});
      if (d.jobId) { setJob({ id: d.jobId, status: 'queued', row_count: null, progress_rows: 0, total_rows: plan?.rows ?? null, error: null }); poll(d.jobId); }
    } finally { setBusy(false); }
  };
  const save = async () => {
    setBusy(true);
    try { await post({ saveAs: name }); setName(''); } finally { setBusy(false); }
  };

  if (error) return <Box variant="white" p="xl"><Text color="error">{error}</Text></Box>;
  if (!plan) return <Box variant="white" p="xl"><Text>正在计算……</Text></Box>;
  return (
    <Box variant="white" p="xl" data-testid="list-export">
      <H5>导出当前列表</H5>
      <Text mb="default" data-testid="list-export-rows">按当前筛选条件共 {plan.rows} 行。</Text>
      <Text mb="default">列：{plan.columns.join('、')}</Text>
      <Text mb="lg">{plan.fullIds ? '身份证号完整导出（您有查看完整证件号权限）。' : '身份证号将以掩码导出。'}</Text>
      {plan.inline ? (
        <Link href={plan.download} data-testid="list-export-download"><Button as="span" variant="contained">下载 Excel</Button></Link>
      ) : (
        <Box>
          <Text mb="default">超过 {plan.limit} 行，将在后台生成文件。</Text>
          <Button variant="contained" data-testid="list-export-job" disabled={busy || (!!job && !['succeeded', 'failed'].includes(job.status))} onClick={runJob}>创建导出任务</Button>
        </Box>
      )}
      {job && (
        <Box mt="lg" data-testid="list-export-status">
          <Text>导出任务 {job.id}：{STATUS[job.status] ?? job.status}
            {job.status === 'running' && job.total_rows ? `（${job.progress_rows ?? 0} / ${job.total_rows} 行）` : ''}</Text>
          {job.status === 'succeeded' && <Text mt="sm">共 {job.row_count} 行。<Link href={`/admin/files/export-jobs/${job.id}`}>下载文件</Link></Text>}
          {job.error && <Text mt="sm" color="error">{job.error}</Text>}
        </Box>
      )}
      <Box mt="xl" style={{ display: 'flex', gap: 8, alignItems: 'flex-end' }}>
        <Box>
          <Label>保存为报表（名称）</Label>
          <Input data-testid="list-export-name" value={name} maxLength={60} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setName(e.target.value)} style={{ width: 260 }} />
        </Box>
        <Button data-testid="list-export-save" disabled={busy || !name.trim()} onClick={save}>保存为报表</Button>
      </Box>
    </Box>
  );
};

export default ListExport;
