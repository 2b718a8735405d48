/**
 * A record action that changes state: shows what will happen, asks for a reason where the
 * action needs one (e.g. rejection), and sends it by POST. Configured per action through
 * `custom: { confirm, reason: 'required' | 'optional' | false, submit }`.
 */
import React, { useState } from 'react';
import { ApiClient, useNotice, type ActionProps } from 'adminjs';
import { Box, Button, H4, Label, Text, TextArea } from '@adminjs/design-system';
import { useNavigate } from 'react-router';

const api = new ApiClient();

const ConfirmAction: React.FC<ActionProps> = ({ action, record, resource }) => {
  const custom = (action.custom ?? {}) as { confirm?: string; reason?: 'required' | 'optional' | false; submit?: string };
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const addNotice = useNotice();
  const navigate = useNavigate();
  const submit = async () => {
    if (custom.reason === 'required' && !reason.trim()) { setError('请填写原因'); return; }
    setBusy(true);
    try {
      const res = await api.recordAction({
        resourceId: resource.id, recordId: record!.id, actionName: action.name, data: { reason },
      } as never);
      const data = res.data as { notice?: { message: string; type: 'success' | 'error' }; redirectUrl?: string };
      if (data.notice) addNotice(data.notice);
      if (data.notice?.type !== 'error') navigate(data.redirectUrl ?? `/admin/resources/${resource.id}`);
    } catch {
      addNotice({ message: '操作失败，请稍后重试', type: 'error' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Box variant="white" p="xl" data-testid="confirm-action">
      <H4>{action.label}</H4>
      <Text mb="lg">{custom.confirm ?? '确定执行该操作吗？'}</Text>
      <Text mb="lg" color="grey60">记录：{record?.title}</Text>
      {custom.reason && (
        <Box mb="lg">
          <Label required={custom.reason === 'required'}>原因</Label>
          <TextArea width="100%" rows={4} value={reason} maxLength={500} data-testid="reason"
            onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => { setReason(e.target.value); setError(null); }} />
          {error && <Text color="error" mt="sm">{error}</Text>}
        </Box>
      )}
      <Button variant="contained" disabled={busy} onClick={submit} data-testid="confirm-submit">{custom.submit ?? '确定'}</Button>
      <Button variant="text" ml="lg" onClick={() => navigate(-1)}>取消</Button>
    </Box>
  );
};

export default ConfirmAction;
