/**
 * Any action that changes state — on one record, on the selected records, or on everything
 * the list's filter matches: shows what will happen (and how many records), asks for a reason
 * where the action needs one (a rejection), and sends it by POST. Configured per action through
 * `custom: { confirm, reason: 'required' | 'optional' | false, submit }`.
 */
import React, { useEffect, useState } from 'react';
import { ApiClient, useNotice, type ActionProps } from 'adminjs';
import { Box, Button, Label, Text, TextArea } from '@adminjs/design-system';
import { useLocation, useNavigate } from 'react-router';

const api = new ApiClient();
type Notice = { message: string; type: 'success' | 'error' };

const ConfirmAction: React.FC<ActionProps> = ({ action, record, records, resource }) => {
  const custom = (action.custom ?? {}) as { confirm?: string; reason?: 'required' | 'optional' | false; reasonLabel?: string; submit?: string };
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [count, setCount] = useState<number | null>(null);
  const addNotice = useNotice();
  const navigate = useNavigate();
  const location = useLocation();
  // The list's filters travel with "approve all" (全部通过) so it decides what the list shows.
  // AdminJS's ApiClient puts `query` into the path; the filters go as a real query string (`params`).
  const remembered = action.actionType === 'resource' ? sessionStorage.getItem(`review-filters:${resource.id}`) ?? '' : '';
  const query = (location.search.includes('filters.') ? location.search : remembered).replace(/^\?/, '');
  const params = new URLSearchParams(query);
  const filters = Object.fromEntries([...params].filter(([k]) => k.startsWith('filters.')));

  useEffect(() => {
    if (action.actionType !== 'resource') return;
    api.resourceAction({ resourceId: resource.id, actionName: action.name, params: filters } as never)
      .then((r) => setCount((r.data as { count?: number }).count ?? 0));
  }, [query]);

  const call = (data: Record<string, unknown>) => {
    if (action.actionType === 'record') return api.recordAction({ resourceId: resource.id, recordId: record!.id, actionName: action.name, data } as never);
    if (action.actionType === 'bulk') return api.bulkAction({ resourceId: resource.id, recordIds: (records ?? []).map((r) => r.id), actionName: action.name, data } as never);
    return api.resourceAction({ resourceId: resource.id, actionName: action.name, data, params: filters } as never);
  };

  const submit = async () => {
    if (custom.reason === 'required' && !reason.trim()) { setError('请填写原因'); return; }
    setBusy(true);
    try {
      const res = await call({ reason });
      const data = res.data as { notice?: Notice; redirectUrl?: string };
      if (data.notice) addNotice(data.notice);
      if (data.notice?.type !== 'error') navigate(data.redirectUrl ?? `/admin/resources/${resource.id}`);
    } catch {
      addNotice({ message: '操作失败，请稍后重试', type: 'error' });
    } finally {
      setBusy(false);
    }
  };

  const scope = action.actionType === 'record' ? `记录：${record?.title ?? ''}`
    : action.actionType === 'bulk' ? `已选择 ${(records ?? []).length} 条记录`
      : count === null ? '正在统计……' : `共 ${count} 条待审核记录${params.toString() ? '（按当前筛选条件）' : ''}`;
  return (
    <Box variant="white" p="xl" data-testid="confirm-action">
      <Text mb="lg">{custom.confirm ?? '确定执行该操作吗？'}</Text>
      <Text mb="lg" color="grey60" data-testid="confirm-scope">{scope}</Text>
      {custom.reason && (
        <Box mb="lg">
          <Label required={custom.reason === 'required'}>{custom.reasonLabel ?? (custom.reason === 'required' ? '驳回原因' : '审核意见')}</Label>
          <TextArea width="100%" rows={4} value={reason} maxLength={500} data-testid="reason"
            onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => { setReason(e.target.value); setError(null); }} />
          {error && <Text color="error" mt="sm">{error}</Text>}
        </Box>
      )}
      <Button variant="contained" disabled={busy || count === 0} onClick={submit} data-testid="confirm-submit">{custom.submit ?? '确定'}</Button>
      <Button variant="text" ml="lg" onClick={() => navigate(-1)}>取消</Button>
    </Box>
  );
};

export default ConfirmAction;
