/** 角色权限 on a role's detail (issue 17, item 10): the permissions it holds, as the catalog's tree. */
import React, { useEffect, useState } from 'react';
import { ApiClient, type ShowPropertyProps } from 'adminjs';
import { Box, Label, Text } from '@adminjs/design-system';
// AdminJS's component bundler resolves the extensionless path to the .tsx file (it would not map
// './PermissionTree.js' to it); TypeScript's node16 resolution asks for the extension.
// @ts-ignore TS2835
import { Checklist } from './PermissionTree';

const api = new ApiClient();
type Catalog = Array<{ key: string; label: string; submodules: Array<{ key: string; label: string; items: Array<{ code: string; label: string; grantable: boolean }> }> }>;

const RolePermissions: React.FC<ShowPropertyProps> = ({ record, resource }) => {
  const [data, setData] = useState<{ catalog: Catalog; checked: string[] } | null>(null);
  useEffect(() => {
    api.recordAction({ resourceId: resource.id, recordId: record.id, actionName: 'permissionTree' })
      .then((r) => setData(r.data as unknown as { catalog: Catalog; checked: string[] }));
  }, [record.id]);
  return (
    <Box mb="xl" data-testid="role-permissions">
      <Label>角色权限</Label>
      {!data ? <Text>加载中……</Text> : <Checklist catalog={data.catalog} checked={new Set(data.checked)} />}
    </Box>
  );
};

export default RolePermissions;
