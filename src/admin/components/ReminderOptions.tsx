/** 提醒设置: the person chooses whether year-end reminders (年末提醒) reach it by e-mail and by SMS. */
import React, { useEffect, useState } from 'react';
import { ApiClient, useNotice, type ActionProps } from 'adminjs';
import { Box, Button, CheckBox, Label, Text } from '@adminjs/design-system';

const api = new ApiClient();
type Options = { remind_email: boolean; remind_sms: boolean; email: string | null; mobile: string | null };

const ReminderOptions: React.FC<ActionProps> = ({ action, record, resource }) => {
  const [options, setOptions] = useState<Options | null>(null);
  const [busy, setBusy] = useState(false);
  const addNotice = useNotice();
  useEffect(() => {
    api.recordAction({ resourceId: resource.id, recordId: record!.id, actionName: action.name } as never)
      .then((r) => setOptions((r.data as { options?: Options }).options ?? null));
  }, [record?.id]);
  if (!options) return <Box variant="white" p="xl"><Text>正在读取提醒设置……</Text></Box>;
  const save = async () => {
    setBusy(true);
    try {
      const r = await api.recordAction({
        resourceId: resource.id, recordId: record!.id, actionName: action.name,
        data: { remind_email: String(options.remind_email), remind_sms: String(options.remind_sms) },
      } as never);
      const data = r.data as { options?: Options; notice?: { message: string; type: 'success' | 'error' } };
      if (data.options) setOptions(data.options);
      if (data.notice) addNotice(data.notice);
    } finally { setBusy(false); }
  };
  const row = (key: 'remind_email' | 'remind_sms', label: string, contact: string | null) => (
    <Box mb="lg" flex style={{ alignItems: 'center', gap: 8 }}>
      <CheckBox id={key} checked={options[key]} onChange={() => setOptions({ ...options, [key]: !options[key] })} data-testid={`reminder-${key}`} />
      <Label htmlFor={key} inline mb="0">{label}</Label>
      <Text color="grey60">{contact ? `（${contact}）` : '（未登记，登记后方可接收）'}</Text>
    </Box>
  );
  return (
    <Box variant="white" p="xl" data-testid="reminder-options">
      <Text mb="lg">每年自省人社厅设定的日期起，若您当年已认定与待审核学时合计仍未达到年度要求，平台会提醒您及时学习、申报。您可以选择接收提醒的方式：</Text>
      {row('remind_email', '接收电子邮件提醒', options.email)}
      {row('remind_sms', '接收短信提醒', options.mobile)}
      <Text mb="lg" color="grey60">关闭后不再通过该方式提醒您；所在单位管理员仍会在汇总中看到您的学时完成情况。</Text>
      <Button variant="contained" disabled={busy} onClick={save} data-testid="reminder-options-save">保存</Button>
    </Box>
  );
};

export default ReminderOptions;
