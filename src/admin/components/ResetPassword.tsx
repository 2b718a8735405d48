/** 重置密码: asks to confirm, then shows the one-time password once (it is not stored anywhere readable). */
import React, { useState } from 'react';
import { ApiClient, useNotice, type ActionProps } from 'adminjs';
import { Box, Button, Text } from '@adminjs/design-system';

const api = new ApiClient();

const ResetPassword: React.FC<ActionProps> = ({ action, record, resource }) => {
  const [password, setPassword] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const addNotice = useNotice();
  const name = String(record?.params?.name ?? '');
  const submit = async () => {
    setBusy(true);
    try {
      const res = await api.recordAction({ resourceId: resource.id, recordId: record!.id, actionName: action.name, data: {} } as never);
      const data = res.data as { oneTimePassword?: string; notice?: { message: string; type: 'success' | 'error' } };
      if (data.notice) addNotice(data.notice);
      if (data.oneTimePassword) setPassword(data.oneTimePassword);
    } finally { setBusy(false); }
  };
  return (
    <Box variant="white" p="xl" data-testid="reset-password">
      {!password ? (
        <>
          <Text mb="lg">将为「{name}」生成一个临时密码。原密码立即失效，该人员已登录的会话全部结束，下次登录时须修改密码。</Text>
          <Button variant="contained" color="danger" disabled={busy} onClick={submit} data-testid="reset-password-confirm">确认重置</Button>
        </>
      ) : (
        <>
          <Text mb="default">「{name}」的临时密码（仅显示这一次，请当面或通过安全渠道告知本人）：</Text>
          <Text data-testid="one-time-password" style={{ fontFamily: 'monospace', fontSize: 24, letterSpacing: 2, padding: '12px 16px', background: '#f4f6f8', display: 'inline-block', userSelect: 'all' }}>{password}</Text>
          <Text mt="lg" color="grey60">登录账号为身份证号。关闭本页后将无法再次查看此密码。</Text>
        </>
      )}
    </Box>
  );
};

export default ResetPassword;
