/**
 * 运行记录 of a schedule: each run's due time, start, finish, rows, file, error and attempts,
 * newest first, refreshed while a run is under way; 立即运行 is the record action beside it.
 */
import React, { useEffect, useRef, useState } from 'react';
import { ApiClient, type ShowPropertyProps } from 'adminjs';
import { Box, Label, Link, Table, TableBody, TableCell, TableHead, TableRow, Text } from '@adminjs/design-system';

interface Run { id: number; trigger: string; scheduled_for: string | null; created_at: string; started_at: string | null; finished_at: string | null; status: string; row_count: number | null; progress_rows: number | null; attempts: number; error: string | null; file_size: number | null }
const api = new ApiClient();
const STATUS: Record<string, string> = { queued: '排队中', running: '运行中', succeeded: '已完成', failed: '失败' };
const at = (s: string | null) => (s ? new Date(s).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) : '—');

const ScheduleRuns: React.FC<ShowPropertyProps> = ({ record, resource }) => {
  const [runs, setRuns] = useState<Run[] | null>(null);
  const timer = useRef<ReturnType<typeof setInterval>>();
  const load = () => api.recordAction({ resourceId: resource.id, recordId: record.id, actionName: 'runs' } as never)
    .then((r) => {
      const list = (r.data as { runs?: Run[] }).runs ?? [];
      setRuns(list);
      if (!list.some((x) => x.status === 'queued' || x.status === 'running')) clearInterval(timer.current);
    });
  useEffect(() => {
    load();
    timer.current = setInterval(load, 2000);
    return () => clearInterval(timer.current);
  }, [record.id]);
  return (
    <Box mb="xl" data-testid="schedule-runs">
      <Label>运行记录</Label>
      {!runs ? <Text>正在加载……</Text> : !runs.length ? <Text>尚未运行</Text> : (
        <Table>
          <TableHead><TableRow>
            {['任务', '方式', '应运行时间', '开始', '完成', '状态', '行数', '文件', '尝试次数', '错误'].map((h) => <TableCell key={h}>{h}</TableCell>)}
          </TableRow></TableHead>
          <TableBody>
            {runs.map((r) => (
              <TableRow key={r.id} data-testid="schedule-run">
                <TableCell>{r.id}</TableCell>
                <TableCell>{r.trigger === 'schedule' ? '定时' : '立即运行'}</TableCell>
                <TableCell>{at(r.scheduled_for)}</TableCell>
                <TableCell>{at(r.started_at)}</TableCell>
                <TableCell>{at(r.finished_at)}</TableCell>
                <TableCell>{STATUS[r.status] ?? r.status}</TableCell>
                <TableCell>{r.row_count ?? r.progress_rows ?? '—'}</TableCell>
                <TableCell>{r.status === 'succeeded' ? <Link href={`/admin/files/export-jobs/${r.id}`}>下载</Link> : '—'}</TableCell>
                <TableCell>{r.attempts}</TableCell>
                <TableCell>{r.error ?? ''}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Box>
  );
};

export default ScheduleRuns;
