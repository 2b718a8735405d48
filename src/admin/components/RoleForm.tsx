/**
 * 新增角色 (issue 17, item 10): one form — 名称, 描述 and the permission tree with 全选 per module —
 * instead of a name-only form followed, unprompted, by a second page for the permissions.
 */
import React, { useEffect, useState } from 'react';
import { ApiClient, useNotice, type ActionProps } from 'adminjs';
import { Box, Button, FormGroup, H4, Input, Label, Loader, Text, TextArea } from '@adminjs/design-system';
import { useNavigate } from 'react-router';
// AdminJS's component bundler resolves the extensionless path to the .tsx file (it would not map
// './PermissionTree.js' to it); TypeScript's node16 resolution asks for the extension.
// @ts-ignore TS2835
import { Checklist } from './PermissionTree';

const api = new ApiClient();
type Catalog = Array<{ key: string; label: string; submodules: Array<{ key: string; label: string; items: Array<{ code: string; label: string; grantable: boolean }> }> }>;

const RoleForm: React.FC<ActionProps> = ({ action, resource }) => {
  const [catalog, setCatalog] = useState<Catalog | null>(null);
  const [checked, setChecked] = useState<Set<string>>(new Set());
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const addNotice = useNotice();
  const navigate = useNavigate();
  useEffect(() => {
    api.resourceAction({ resourceId: resource.id, actionName: action.name }).then((r) => setCatalog((r.data as unknown as { catalog: Catalog }).catalog));
  }, []);
  if (!catalog) return <Loader />;
  const submit = async () => {
    if (!name.trim()) { setErrors({ name: '此项为必填项' }); return; }
    setBusy(true);
    try {
      const r = await api.resourceAction({ resourceId: resource.id, actionName: action.name, data: { name, description, codes: [...checked] } } as never);
      const d = r.data as { notice?: { message: string; type: 'success' | 'error' }; redirectUrl?: string; record?: { errors?: Record<string, { message: string }> } };
      const fieldErrors = Object.fromEntries(Object.entries(d.record?.errors ?? {}).map(([k, v]) => [k, v.message]));
      if (Object.keys(fieldErrors).length) setErrors(fieldErrors);
      if (d.notice) addNotice(d.notice);
      if (d.notice?.type === 'success' && d.redirectUrl) navigate(d.redirectUrl);
    } catch {
      addNotice({ message: '保存失败，请稍后重试', type: 'error' });
    } finally { setBusy(false); }
  };
  return (
    <Box variant="white" p="xl" data-testid="role-form">
      <H4>新增角色</H4>
      <FormGroup error={!!errors.name}>
        <Label required htmlFor="role-name">角色名称</Label>
        <Input id="role-name" width="100%" maxLength={50} value={name} onChange={(e: React.ChangeEvent<HTMLInputElement>) => { setName(e.target.value); setErrors({}); }} />
        {errors.name && <Text color="error" mt="sm">{errors.name}</Text>}
      </FormGroup>
      <FormGroup>
        <Label htmlFor="role-description">角色描述</Label>
        <TextArea id="role-description" width="100%" rows={3} maxLength={500} value={description} onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => setDescription(e.target.value)} />
      </FormGroup>
      <Label>角色权限</Label>
      <Text color="grey60" mb="lg">只能授予您自己拥有的权限；灰色选项您无权授予。已选 {checked.size} 项。</Text>
      <Checklist catalog={catalog} checked={checked} onChange={setChecked} />
      <Button variant="contained" disabled={busy} onClick={submit} data-testid="save-role">保存</Button>
    </Box>
  );
};

export default RoleForm;
