/**
 * 定时导出's cron field: the expression (used when 运行频率 is 自定义) and, before saving, the next
 * three run times in Asia/Shanghai of whatever the form holds — a preset or the expression —
 * or why the expression is refused.
 */
import React, { useEffect, useState } from 'react';
import { ApiClient, type EditPropertyProps } from 'adminjs';
import { Box, Input, Label, Text } from '@adminjs/design-system';

const api = new ApiClient();

const CronPreview: React.FC<EditPropertyProps> = ({ property, record, onChange, resource }) => {
  const preset = String(record.params.preset ?? 'weekly');
  const cron = String(record.params[property.path] ?? '');
  const [runs, setRuns] = useState<string[]>([]);
  const [error, setError] = useState('');
  useEffect(() => {
    const t = setTimeout(() => {
      api.resourceAction({ resourceId: resource.id, actionName: 'previewCron', params: { preset, cron } } as never)
        .then((r) => { const d = r.data as { runs?: string[]; error?: string }; setRuns(d.runs ?? []); setError(d.error ?? ''); })
        .catch(() => setError('无法计算运行时间'));
    }, 250);
    return () => clearTimeout(t);
  }, [preset, cron]);
  return (
    <Box mb="xl" data-testid="cron-preview">
      <Label>cron 表达式（分 时 日 月 周，北京时间；运行频率为「自定义」时使用）</Label>
      <Input value={cron} disabled={preset !== 'cron'} placeholder="例如 0 3 * * 1 表示每周一 03:00"
        onChange={(e: React.ChangeEvent<HTMLInputElement>) => onChange(property.path, e.target.value)} style={{ width: 320 }} />
      {error ? <Text mt="sm" color="error" data-testid="cron-error">{error}</Text> : (
        <Text mt="sm" data-testid="cron-runs">接下来三次运行：{runs.join('；') || '—'}</Text>
      )}
    </Box>
  );
};

export default CronPreview;
