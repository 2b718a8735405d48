/**
 * 角色权限设置: the permission catalog as the manual's menu tree (module → sub-module →
 * actions). Only what the editing admin holds can be ticked; the server checks it again.
 */
import React, { useEffect, useState } from 'react';
import { ApiClient, useNotice, type ActionProps } from 'adminjs';
import { Box, Button, CheckBox, H4, H5, Label, Loader, Text } from '@adminjs/design-system';

interface Item { code: string; label: string; grantable: boolean }
interface Sub { key: string; label: string; items: Item[] }
interface Mod { key: string; label: string; submodules: Sub[] }
interface Data { catalog: Mod[]; checked: string[] }

const api = new ApiClient();

const PermissionTree: React.FC<ActionProps> = ({ action, record, resource }) => {
  const [data, setData] = useState<Data | null>(null);
  const [checked, setChecked] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const addNotice = useNotice();
  useEffect(() => {
    api.recordAction({ resourceId: resource.id, recordId: record!.id, actionName: action.name }).then((r) => {
      const d = r.data as unknown as Data;
      setData(d);
      setChecked(new Set(d.checked));
    });
  }, [record?.id]);
  if (!data) return <Loader />;
  const toggle = (code: string) => setChecked((s) => { const n = new Set(s); if (n.has(code)) n.delete(code); else n.add(code); return n; });
  const save = async () => {
    setBusy(true);
    try {
      const r = await api.recordAction({ resourceId: resource.id, recordId: record!.id, actionName: action.name, data: { codes: [...checked] } } as never);
      const notice = (r.data as { notice?: { message: string; type: 'success' | 'error' } }).notice;
      if (notice) addNotice(notice);
    } finally { setBusy(false); }
  };
  return (
    <Box variant="white" p="xl" data-testid="permission-tree">
      <H4>角色权限：{record?.title}</H4>
      <Text color="grey60" mb="xl">只能授予您自己拥有的权限；灰色选项您无权授予。</Text>
      {data.catalog.map((m) => (
        <Box key={m.key} mb="xl">
          <H5>{m.label}</H5>
          {m.submodules.map((s) => (
            <Box key={s.key} ml="xl" mb="lg" flex flexWrap="wrap" alignItems="center" style={{ gap: 16 }}>
              <Text style={{ minWidth: 160, fontWeight: 600 }}>{s.label}</Text>
              {s.items.map((i) => (
                <Box key={i.code} flex alignItems="center">
                  <CheckBox id={i.code} checked={checked.has(i.code)} disabled={!i.grantable && !checked.has(i.code)} onChange={() => toggle(i.code)} />
                  <Label inline htmlFor={i.code} ml="sm" style={{ opacity: i.grantable ? 1 : 0.5 }}>{i.label}</Label>
                </Box>
              ))}
            </Box>
          ))}
        </Box>
      ))}
      <Button variant="contained" disabled={busy} onClick={save} data-testid="save-permissions">保存</Button>
    </Box>
  );
};

export default PermissionTree;
