/**
 * 新增管理员 (manual 4.1.1.3.2): three ways to add an admin, each a wizard of
 * ① 填写管理员基本信息 → ② 权限确认 → ③ 创建成功.
 */
import React, { useEffect, useState } from 'react';
import { ApiClient, useNotice, type ActionProps } from 'adminjs';
import { Box, Button, CheckBox, H4, Input, Label, Loader, Select, Text } from '@adminjs/design-system';
import { useNavigate } from 'react-router';

type Mode = 'pick' | 'register' | 'attach';
interface Options { departments: { id: number; name: string }[]; candidates: { accountId: number; label: string }[]; roles: { id: number; name: string; grantable: boolean }[] }
const api = new ApiClient();
const modes: { value: Mode; label: string }[] = [
  { value: 'pick', label: '选择成为管理员（已是本部门人员）' },
  { value: 'register', label: '注册成为管理员（非本系统用户）' },
  { value: 'attach', label: '添加成为管理员（已是本系统用户）' },
];
const steps = ['① 填写管理员基本信息', '② 权限确认', '③ 创建成功'];

const AddAdminWizard: React.FC<ActionProps> = ({ resource, action }) => {
  const [options, setOptions] = useState<Options | null>(null);
  const [mode, setMode] = useState<Mode>('pick');
  const [step, setStep] = useState(0);
  const [f, setF] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [summary, setSummary] = useState<{ name: string; idNumber: string } | null>(null);
  const [roleIds, setRoleIds] = useState<Set<number>>(new Set());
  const addNotice = useNotice();
  const navigate = useNavigate();
  useEffect(() => { api.resourceAction({ resourceId: resource.id, actionName: action.name }).then((r) => setOptions(r.data as unknown as Options)); }, []);
  if (!options) return <Loader />;

  const post = async (dryRun: boolean) => {
    // A refusal with its own status (429: too many password attempts) carries its notice in the body.
    const r = await api.resourceAction({ resourceId: resource.id, actionName: action.name, data: { ...f, mode, dryRun, roleIds: [...roleIds] } } as never)
      .catch((e: { response?: { data?: unknown } }) => ({ data: e.response?.data ?? { notice: { message: '请求失败，请稍后重试', type: 'error' } }, errors: {} }));
    const d = r.data as { errors?: Record<string, string>; summary?: { name: string; idNumber: string }; notice?: { message: string; type: 'success' | 'error' } };
    if (d.notice) addNotice(d.notice);
    setErrors(d.errors ?? {});
    return d.notice?.type === 'error' && !d.errors ? { ...d, errors: {} } : d;
  };
  const next = async () => { const d = await post(true); if (!d.errors && d.summary) { setSummary(d.summary); setStep(1); } };
  const create = async () => { const d = await post(false); if (!d.errors && d.notice?.type === 'success') setStep(2); };
  const field = (key: string, label: string, type = 'text', required = true) => (
    <Box mb="lg" key={key}>
      <Label required={required} htmlFor={key}>{label}</Label>
      <Input id={key} name={key} type={type} width="100%" value={f[key] ?? ''} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setF({ ...f, [key]: e.target.value })} />
      {errors[key] && <Text color="error" mt="sm" data-testid={`error-${key}`}>{errors[key]}</Text>}
    </Box>
  );
  const department = (
    <Box mb="lg">
      <Label htmlFor="departmentId">工作部门</Label>
      <Select inputId="departmentId" value={options.departments.filter((d) => String(d.id) === f.departmentId).map((d) => ({ value: String(d.id), label: d.name }))[0] ?? null}
        options={options.departments.map((d) => ({ value: String(d.id), label: d.name }))} placeholder="请选择" isClearable
        onChange={(o: { value: string } | null) => setF({ ...f, departmentId: o?.value ?? '' })} />
      {errors.departmentId && <Text color="error" mt="sm">{errors.departmentId}</Text>}
    </Box>
  );

  return (
    <Box variant="white" p="xl" data-testid="add-admin-wizard">
      <H4>新增管理员</H4>
      <Box flex mb="xl" style={{ gap: 24 }}>{steps.map((s, i) => <Text key={s} style={{ fontWeight: i === step ? 700 : 400, color: i === step ? '#0b4f8a' : '#898A9A' }}>{s}</Text>)}</Box>
      {step === 0 && (
        <Box>
          <Box flex mb="xl" style={{ gap: 8 }}>
            {modes.map((m) => <Button key={m.value} variant={mode === m.value ? 'contained' : 'outlined'} size="sm" data-testid={`mode-${m.value}`} onClick={() => { setMode(m.value); setErrors({}); }}>{m.label}</Button>)}
          </Box>
          {mode === 'pick' && (
            <Box mb="lg">
              {department}
              <Label required htmlFor="accountId">选择管理员</Label>
              <Select inputId="accountId" value={options.candidates.filter((c) => String(c.accountId) === f.accountId).map((c) => ({ value: String(c.accountId), label: c.label }))[0] ?? null}
                options={options.candidates.map((c) => ({ value: String(c.accountId), label: c.label }))} placeholder={options.candidates.length ? '请选择' : '本机构暂无可选的已注册人员（可先在“专技人员信息查询”中批量导入本机构人员，所在单位统一社会信用代码填本机构的）'}
                onChange={(o: { value: string } | null) => setF({ ...f, accountId: o?.value ?? '' })} />
              {errors.accountId && <Text color="error" mt="sm">{errors.accountId}</Text>}
            </Box>
          )}
          {mode === 'register' && (
            <Box>
              <Text mb="lg">证件类型：身份证</Text>
              {field('idNumber', '证件号')}{field('password', '密码', 'password')}{field('confirm', '确认密码', 'password')}
              {field('name', '真实姓名')}{field('mobile', '手机号')}{field('email', '电子邮箱')}{field('phone', '固定电话', 'text', false)}
              {department}
            </Box>
          )}
          {mode === 'attach' && (
            <Box>
              <Text mb="lg">证件类型：身份证（密码须与该用户的注册密码一致）</Text>
              {field('idNumber', '证件号')}{field('password', '密码', 'password')}{department}
            </Box>
          )}
          {errors.mode && <Text color="error">{errors.mode}</Text>}
          <Button variant="contained" onClick={next} data-testid="wizard-next">下一步</Button>
        </Box>
      )}
      {step === 1 && summary && (
        <Box>
          <Text mb="lg">管理员：{summary.name}（{summary.idNumber}）</Text>
          <Label>授予角色（只能授予您拥有的权限）</Label>
          {options.roles.length === 0 && <Text mb="lg" color="grey60">本机构尚未定义角色；可稍后在“分配角色”中设置。</Text>}
          {options.roles.map((r) => (
            <Box key={r.id} flex alignItems="center" mb="default">
              <CheckBox id={`r${r.id}`} disabled={!r.grantable} checked={roleIds.has(r.id)}
                onChange={() => setRoleIds((s) => { const n = new Set(s); if (n.has(r.id)) n.delete(r.id); else n.add(r.id); return n; })} />
              <Label inline htmlFor={`r${r.id}`} ml="sm">{r.name}</Label>
            </Box>
          ))}
          <Box mt="xl"><Button variant="outlined" onClick={() => setStep(0)}>上一步</Button><Button variant="contained" ml="lg" onClick={create} data-testid="wizard-create">确认创建</Button></Box>
        </Box>
      )}
      {step === 2 && (
        <Box>
          <Text mb="xl" data-testid="wizard-done">管理员创建成功。</Text>
          <Button variant="contained" onClick={() => navigate(`/admin/resources/${resource.id}`)}>返回管理员列表</Button>
        </Box>
      )}
    </Box>
  );
};

export default AddAdminWizard;
