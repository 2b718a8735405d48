/**
 * 导出任务's computed cells, in the list and on the detail page: the run's duration, the
 * file's size in KB/MB, and the file itself as a download link (served through the
 * resource's scope by /admin/files/export-jobs/<id>).
 */
import React from 'react';
import { useTranslation, type BasePropertyProps } from 'adminjs';
import { Box, Label, Link, Text } from '@adminjs/design-system';

export function formatDuration(started?: string, finished?: string): string {
  if (!started || !finished) return '—';
  const ms = new Date(finished).getTime() - new Date(started).getTime();
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${ms} 毫秒`;
  const s = Math.round(ms / 100) / 10;
  return s < 60 ? `${s} 秒` : `${Math.floor(s / 60)} 分 ${Math.round(s % 60)} 秒`;
}

export function formatSize(bytes: unknown): string {
  const n = Number(bytes);
  if (bytes === null || bytes === undefined || bytes === '' || !Number.isFinite(n)) return '—';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

const ExportJobField: React.FC<BasePropertyProps> = ({ record, property, where, resource }) => {
  const { translateProperty } = useTranslation();
  if (!record) return null;
  const p = record.params as Record<string, string | undefined>;
  let content: React.ReactNode;
  if (property.name === 'duration') content = <Text>{formatDuration(p.started_at, p.finished_at)}</Text>;
  else if (property.name === 'file_size') content = <Text>{formatSize(p.file_size)}</Text>;
  // 进度: rows written so far of the rows the list had when asked (a large list export), or the rows written.
  else if (property.name === 'progress') {
    content = <Text data-testid="export-progress">{p.status === 'running' ? `${p.progress_rows ?? 0} / ${p.total_rows ?? '?'} 行`
      : p.status === 'succeeded' ? `${p.row_count ?? 0} 行` : p.status === 'queued' && p.total_rows ? `共 ${p.total_rows} 行，排队中` : '—'}</Text>;
  }
  else content = p.status === 'succeeded' && p.file_name
    ? <Link href={`/admin/files/export-jobs/${record.id}`} data-testid="export-download">{where === 'list' ? '下载' : p.file_name}</Link>
    : <Text>—</Text>;
  if (where === 'list') return <>{content}</>;
  return <Box mb="xl"><Label>{translateProperty(property.label, resource.id)}</Label>{content}</Box>;
};

export default ExportJobField;
