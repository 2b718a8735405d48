/** 分配角色: the roles of the organisation an admin may hand to another admin. */
import React, { useEffect, useState } from 'react';
import { ApiClient, useNotice, type ActionProps } from 'adminjs';
import { Box, Button, CheckBox, H4, Label, Loader, Text } from '@adminjs/design-system';

interface Role { id: number; name: string; grantable: boolean }
const api = new ApiClient();

const AssignRoles: React.FC<ActionProps> = ({ action, record, resource }) => {
  const [roles, setRoles] = useState<Role[] | null>(null);
  const [checked, setChecked] = useState<Set<number>>(new Set());
  const addNotice = useNotice();
  useEffect(() => {
    api.recordAction({ resourceId: resource.id, recordId: record!.id, actionName: action.name }).then((r) => {
      const d = r.data as unknown as { roles: Role[]; assigned: number[] };
      setRoles(d.roles);
      setChecked(new Set(d.assigned));
    });
  }, [record?.id]);
  if (!roles) return <Loader />;
  const save = async () => {
    const r = await api.recordAction({ resourceId: resource.id, recordId: record!.id, actionName: action.name, data: { roleIds: [...checked] } } as never);
    const notice = (r.data as { notice?: { message: string; type: 'success' | 'error' } }).notice;
    if (notice) addNotice(notice);
  };
  return (
    <Box variant="white" p="xl" data-testid="assign-roles">
      <H4>分配角色：{record?.title}</H4>
      {roles.length === 0 && <Text>本机构尚未定义角色，请先在“角色”中新增。</Text>}
      {roles.map((r) => (
        <Box key={r.id} flex alignItems="center" mb="default">
          <CheckBox id={`role-${r.id}`} checked={checked.has(r.id)} disabled={!r.grantable && !checked.has(r.id)}
            onChange={() => setChecked((s) => { const n = new Set(s); if (n.has(r.id)) n.delete(r.id); else n.add(r.id); return n; })} />
          <Label inline htmlFor={`role-${r.id}`} ml="sm">{r.name}{r.grantable ? '' : '（含您未拥有的权限，不能授予）'}</Label>
        </Box>
      ))}
      <Button variant="contained" mt="lg" onClick={save}>保存</Button>
    </Box>
  );
};

export default AssignRoles;
