/**
 * 接口客户端: 登记客户端 (name, organisation, scopes, allowed addresses, calls per minute) and
 * the record actions 更换密钥 / 暂停 / 恢复 / 吊销 (confirm first). A new credential is shown
 * once, here: the server keeps only its SHA-256. 设置回调地址: where signed callbacks go (empty
 * clears it).
 */
import React, { useEffect, useState } from 'react';
import { ApiClient, useNotice, type ActionProps } from 'adminjs';
import { Box, Button, CheckBox, H4, Input, Label, Loader, Select, Text, TextArea } from '@adminjs/design-system';

const api = new ApiClient();

interface Options { organisations: Array<{ id: number; name: string }>; scopes: Array<{ value: string; label: string }> }
interface Answer { token?: string; id?: number; notice?: { message: string; type: 'success' | 'error' } }

const Secret: React.FC<{ token: string }> = ({ token }) => (
  <Box>
    <Text mb="default">接口密钥（仅显示这一次，请立即复制并通过安全渠道交给对接方；平台只保存其摘要，无法再次查看）：</Text>
    <Text data-testid="api-client-token" style={{ fontFamily: 'monospace', fontSize: 15, padding: '12px 16px', background: '#f4f6f8', display: 'inline-block', userSelect: 'all', wordBreak: 'break-all' }}>{token}</Text>
    <Text mt="lg" color="grey60">调用时在请求头中携带：Authorization: Bearer &lt;接口密钥&gt;。接口文档见 /api/v1/docs。</Text>
  </Box>
);

const ApiClientSecret: React.FC<ActionProps> = ({ action, record, resource }) => {
  const addNotice = useNotice();
  const [busy, setBusy] = useState(false);
  const [token, setToken] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [options, setOptions] = useState<Options | null>(null);
  const [f, setF] = useState({ name: '', organisationId: '', allowedAddresses: '', rateLimitPerMinute: '120', callbackUrl: '' });
  const [callbackUrl, setCallbackUrl] = useState(String(record?.params?.callback_url ?? ''));
  const [scopes, setScopes] = useState<Set<string>>(new Set());
  useEffect(() => {
    if (!record) api.resourceAction({ resourceId: resource.id, actionName: action.name }).then((r) => setOptions(r.data as unknown as Options));
  }, []);

  const finish = (d: Answer) => {
    if (d.notice) addNotice(d.notice);
    if (d.token) setToken(d.token);
    if (d.notice?.type === 'success') setDone(true);
  };
  const failed = (e: { response?: { data?: unknown } }) => ({ data: e.response?.data ?? { notice: { message: '请求失败，请稍后重试', type: 'error' } } });

  const callbackHelp = '填写后，本客户端报送的记录有审核结果时，平台将签名后 POST 到该地址（签名方法见接口文档 /api/v1/docs「回调通知」）；留空则不发送。';
  if (record && (action.custom as { callbackForm?: boolean }).callbackForm) {
    const save = async () => {
      setBusy(true);
      try {
        const r = await api.recordAction({ resourceId: resource.id, recordId: record.id, actionName: action.name, data: { callbackUrl } } as never).catch(failed);
        finish(r.data as Answer);
      } finally { setBusy(false); }
    };
    return (
      <Box variant="white" p="xl" data-testid="api-client-callback">
        <H4>{String(record.params?.name ?? '')}</H4>
        <Box mb="lg">
          <Label htmlFor="callbackUrl">回调地址</Label>
          <Input id="callbackUrl" width="100%" value={callbackUrl} placeholder="https://example.com/ce-callback" onChange={(e: React.ChangeEvent<HTMLInputElement>) => setCallbackUrl(e.target.value)} />
          <Text mt="sm" color="grey60">{callbackHelp}</Text>
        </Box>
        <Button variant="contained" disabled={busy} onClick={save} data-testid="api-client-callback-save">保存</Button>
      </Box>
    );
  }
  if (record) {
    const custom = action.custom as { confirm: string };
    const submit = async () => {
      setBusy(true);
      try {
        const r = await api.recordAction({ resourceId: resource.id, recordId: record.id, actionName: action.name, data: {} } as never).catch(failed);
        finish(r.data as Answer);
      } finally { setBusy(false); }
    };
    return (
      <Box variant="white" p="xl" data-testid="api-client-action">
        <H4>{String(record.params?.name ?? '')}</H4>
        {token ? <Secret token={token} /> : done ? <Text>操作已完成。</Text> : (
          <>
            <Text mb="lg">{custom.confirm}</Text>
            <Button variant="contained" color="danger" disabled={busy} onClick={submit} data-testid="api-client-confirm">确定</Button>
          </>
        )}
      </Box>
    );
  }

  if (!options) return <Loader />;
  const submit = async () => {
    setBusy(true);
    try {
      const r = await api.resourceAction({ resourceId: resource.id, actionName: action.name, data: { ...f, scopes: [...scopes] } } as never).catch(failed);
      finish(r.data as Answer);
    } finally { setBusy(false); }
  };
  const orgOptions = options.organisations.map((o) => ({ value: String(o.id), label: o.name }));
  return (
    <Box variant="white" p="xl" data-testid="api-client-register">
      <H4>登记接口客户端</H4>
      {token ? <Secret token={token} /> : (
        <Box>
          <Box mb="lg">
            <Label required htmlFor="name">客户端名称</Label>
            <Input id="name" width="100%" value={f.name} placeholder="如：某某在线学习平台" onChange={(e: React.ChangeEvent<HTMLInputElement>) => setF({ ...f, name: e.target.value })} />
          </Box>
          <Box mb="lg">
            <Label required htmlFor="organisationId">所属机构（本辖区内）</Label>
            <Select inputId="organisationId" value={orgOptions.find((o) => o.value === f.organisationId) ?? null} options={orgOptions} placeholder="请选择"
              onChange={(o: { value: string } | null) => setF({ ...f, organisationId: o?.value ?? '' })} />
          </Box>
          <Box mb="lg">
            <Label required>权限范围</Label>
            {options.scopes.map((s) => (
              <Box key={s.value} flex mb="sm" style={{ alignItems: 'center', gap: 8 }}>
                <CheckBox id={`scope-${s.value}`} checked={scopes.has(s.value)} onChange={() => {
                  const next = new Set(scopes); if (next.has(s.value)) next.delete(s.value); else next.add(s.value); setScopes(next);
                }} />
                <Label htmlFor={`scope-${s.value}`} inline>{s.label}</Label>
              </Box>
            ))}
          </Box>
          <Box mb="lg">
            <Label htmlFor="allowedAddresses">允许访问地址（可选，每行一个 IP 或 CIDR 网段；留空则不限）</Label>
            <TextArea id="allowedAddresses" width="100%" rows={3} value={f.allowedAddresses} onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => setF({ ...f, allowedAddresses: e.target.value })} />
          </Box>
          <Box mb="lg">
            <Label htmlFor="callbackUrl">回调地址（可选）</Label>
            <Input id="callbackUrl" width="100%" value={f.callbackUrl} placeholder="https://example.com/ce-callback" onChange={(e: React.ChangeEvent<HTMLInputElement>) => setF({ ...f, callbackUrl: e.target.value })} />
            <Text mt="sm" color="grey60">{callbackHelp}</Text>
          </Box>
          <Box mb="xl">
            <Label htmlFor="rateLimitPerMinute">每分钟调用上限</Label>
            <Input id="rateLimitPerMinute" type="number" value={f.rateLimitPerMinute} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setF({ ...f, rateLimitPerMinute: e.target.value })} />
          </Box>
          <Button variant="contained" disabled={busy} onClick={submit} data-testid="api-client-submit">登记并生成密钥</Button>
        </Box>
      )}
    </Box>
  );
};

export default ApiClientSecret;
