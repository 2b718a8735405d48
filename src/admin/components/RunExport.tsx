/**
 * 立即运行: choose a report and a year (or one of the scheduled exports of the jurisdiction),
 * start the job, watch its state, download the file when it is ready.
 */
import React, { useEffect, useRef, useState } from 'react';
import { ApiClient, useNotice, type ActionProps } from 'adminjs';
import { Box, Button, H5, Input, Label, Link, Select, Text } from '@adminjs/design-system';

interface Job { id: number; status: string; attempts: number; row_count: number | null; file_size: number | null; error: string | null }
interface Choices {
  reports: Array<{ key: string; title: string }>;
  schedules: Array<{ key: string; title: string; jurisdiction: string; report: string; schedule: string }>;
  year: number;
}
const api = new ApiClient();
const STATUS: Record<string, string> = { queued: '排队中（等待运行或重试）', running: '运行中', succeeded: '已完成', failed: '失败' };
const done = (j: Job | null) => !j || j.status === 'succeeded' || j.status === 'failed';

const RunExport: React.FC<ActionProps> = ({ resource, action }) => {
  const [choices, setChoices] = useState<Choices | null>(null);
  const [mode, setMode] = useState<'report' | 'schedule'>('report');
  const [report, setReport] = useState('');
  const [schedule, setSchedule] = useState('');
  const [year, setYear] = useState('');
  const [job, setJob] = useState<Job | null>(null);
  const [busy, setBusy] = useState(false);
  const timer = useRef<ReturnType<typeof setInterval>>();
  const addNotice = useNotice();
  const call = (params?: Record<string, unknown>, data?: Record<string, unknown>) =>
    api.resourceAction({ resourceId: resource.id, actionName: action.name, params, data, method: data ? 'post' : 'get' } as never);

  useEffect(() => {
    call().then((r) => {
      const d = r.data as Partial<Choices>;
      const c: Choices = { reports: d.reports ?? [], schedules: d.schedules ?? [], year: d.year ?? new Date().getFullYear() };
      setChoices(c);
      setReport(c.reports[0]?.key ?? '');
      setSchedule(c.schedules[0]?.key ?? '');
      setYear(String(c.year));
    });
    return () => clearInterval(timer.current);
  }, []);

  const poll = (jobId: number) => {
    clearInterval(timer.current);
    timer.current = setInterval(async () => {
      const j = ((await call({ jobId })).data as { job?: Job }).job ?? null;
      setJob(j);
      if (done(j)) clearInterval(timer.current);
    }, 1000);
  };
  const run = async () => {
    setBusy(true);
    try {
      const r = await call(undefined, mode === 'report' ? { report, year } : { schedule });
      const d = r.data as { jobId?: number; notice?: { message: string; type: 'success' | 'error' } };
      if (d.notice) addNotice(d.notice);
      if (d.jobId) { setJob({ id: d.jobId, status: 'queued', attempts: 0, row_count: null, file_size: null, error: null }); poll(d.jobId); }
    } finally { setBusy(false); }
  };

  if (!choices) return <Box variant="white" p="xl"><Text>正在加载……</Text></Box>;
  const reportOptions = choices.reports.map((r) => ({ value: r.key, label: r.title }));
  const scheduleOptions = choices.schedules.map((s) => ({ value: s.key, label: `${s.title}（${s.jurisdiction}，${s.schedule}）` }));
  return (
    <Box variant="white" p="xl" data-testid="run-export">
      <H5>立即运行导出</H5>
      <Box mb="lg">
        <label style={{ marginRight: 24 }}><input type="radio" checked={mode === 'report'} onChange={() => setMode('report')} /> 选择报表</label>
        <label><input type="radio" checked={mode === 'schedule'} disabled={!scheduleOptions.length} onChange={() => setMode('schedule')} /> 运行定时导出</label>
      </Box>
      {mode === 'report' ? (
        <Box mb="lg" style={{ display: 'flex', gap: 16 }}>
          <Box style={{ minWidth: 280 }}>
            <Label>报表</Label>
            <Select value={reportOptions.find((o) => o.value === report)} options={reportOptions} onChange={(o: { value: string } | null) => setReport(o?.value ?? '')} />
          </Box>
          <Box>
            <Label>年度</Label>
            <Input value={year} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setYear(e.target.value.replace(/\D/g, '').slice(0, 4))} style={{ width: 100 }} />
          </Box>
        </Box>
      ) : (
        <Box mb="lg" style={{ minWidth: 420 }}>
          <Label>定时导出</Label>
          <Select value={scheduleOptions.find((o) => o.value === schedule)} options={scheduleOptions} onChange={(o: { value: string } | null) => setSchedule(o?.value ?? '')} />
        </Box>
      )}
      <Button variant="contained" data-testid="run-export-submit" disabled={busy || !done(job) || (mode === 'report' ? !report || year.length !== 4 : !schedule)} onClick={run}>立即运行</Button>
      {job && (
        <Box mt="xl" data-testid="run-export-status">
          <Text>导出任务 {job.id}：{STATUS[job.status] ?? job.status}{job.attempts > 1 ? `（第 ${job.attempts} 次尝试）` : ''}</Text>
          {job.status === 'succeeded' && (
            <Text mt="sm">共 {job.row_count} 行。<Link href={`/admin/files/export-jobs/${job.id}`} data-testid="run-export-download">下载文件</Link></Text>
          )}
          {job.error && <Text mt="sm" color="error">{job.error}</Text>}
        </Box>
      )}
    </Box>
  );
};

export default RunExport;
