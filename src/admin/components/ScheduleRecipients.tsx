/**
 * 定时导出's recipients: the organisation's admins, ticked by name (edit), or their names (show,
 * list). Only the organisation's own active admins are offered; the server checks again.
 */
import React, { useEffect, useState } from 'react';
import { ApiClient, flat, type EditPropertyProps } from 'adminjs';
import { Box, CheckBox, Label, Text } from '@adminjs/design-system';

const api = new ApiClient();

const ScheduleRecipients: React.FC<EditPropertyProps> = ({ property, record, onChange, resource, where }) => {
  const value = ((flat.get(record.params, property.path) as unknown[] | undefined) ?? []).map(Number);
  const [admins, setAdmins] = useState<Array<{ id: number; name: string }>>([]);
  useEffect(() => {
    api.resourceAction({ resourceId: resource.id, actionName: 'previewCron', params: {} } as never)
      .then((r) => setAdmins((r.data as { admins?: Array<{ id: number; name: string }> }).admins ?? []));
  }, []);
  const names = value.map((id) => admins.find((a) => a.id === id)?.name ?? `#${id}`);
  if (where !== 'edit') return <Text>{names.join('、') || '—'}</Text>;
  const toggle = (id: number) => onChange(property.path, value.includes(id) ? value.filter((x) => x !== id) : [...value, id]);
  return (
    <Box mb="xl" data-testid="schedule-recipients">
      <Label>收件人（本机构管理员，完成后在面板通知并发送邮件链接）</Label>
      {admins.map((a) => (
        <Box key={a.id} mb="sm" style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
          <CheckBox id={`recipient-${a.id}`} checked={value.includes(a.id)} onChange={() => toggle(a.id)} />
          <label htmlFor={`recipient-${a.id}`}>{a.name}</label>
        </Box>
      ))}
    </Box>
  );
};

export default ScheduleRecipients;
