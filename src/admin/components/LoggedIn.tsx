/**
 * The top bar's user menu (manual 2 and 3): 修改密码 and 退出登录 under the user's name.
 * AdminJS's own menu offers only logout, so the change-password page was unreachable from the panel.
 */
import React from 'react';
import { CurrentUserNav, Box } from '@adminjs/design-system';
import { useTranslation } from 'adminjs';

interface Props { session: { email: string; title?: string; avatarUrl?: string }; paths: { rootPath: string; logoutPath: string } }

const LoggedIn: React.FC<Props> = ({ session, paths }) => {
  const { translateButton } = useTranslation();
  const go = (href: string) => (event: React.MouseEvent) => { event.preventDefault(); window.location.href = href; };
  const dropActions = [
    { label: translateButton('changePassword'), onClick: go(`${paths.rootPath}/password`), icon: 'Key' },
    { label: translateButton('logout'), onClick: go(paths.logoutPath), icon: 'LogOut' },
  ];
  return (
    <Box flexShrink={0} data-css="logged-in" data-testid="user-menu">
      <CurrentUserNav name={session.email} title={session.title} avatarUrl={session.avatarUrl} dropActions={dropActions} />
    </Box>
  );
};

export default LoggedIn;
