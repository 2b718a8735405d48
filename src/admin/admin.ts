/**
 * The AdminJS instance: every resource through the access layer, the Chinese locale, the
 * platform's branding and dashboard, nothing loaded from another host.
 */
import AdminJS from 'adminjs';
import * as AdminJSSequelize from '@adminjs/sequelize';
import { componentLoader, Components } from './components/index.js';
import type { Models } from '../db/models.js';
import { allResources } from '../../resources/index.js';
import { dashboardHandler } from './dashboard.js';
import { locale, PLATFORM_NAME } from './locale.js';

AdminJS.registerAdapter({ Resource: AdminJSSequelize.Resource, Database: AdminJSSequelize.Database });

export const ROOT_PATH = '/admin';

export function buildAdmin(models: Models): AdminJS {
  const admin = new AdminJS({
    rootPath: ROOT_PATH,
    loginPath: `${ROOT_PATH}/login`,
    logoutPath: `${ROOT_PATH}/logout`,
    resources: allResources(models),
    componentLoader,
    locale,
    branding: {
      companyName: PLATFORM_NAME,
      logo: false,
      withMadeWithLove: false,
      favicon: `${ROOT_PATH}/favicon.svg`,
      theme: {
        font: '"PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei","Noto Sans CJK SC",sans-serif',
        colors: { primary100: '#0b4f8a', primary80: '#1f6aa8', primary60: '#4a8cc4', primary40: '#8fb8de', primary20: '#dbe9f6' },
      } as never,
    },
    settings: { defaultPerPage: 20 },
    assets: { styles: [`${ROOT_PATH}/assets/panel.css`] },
  });
  // The handler needs the instance to find resources; bind it now that it exists.
  admin.options.dashboard = { component: Components.Dashboard, handler: dashboardHandler(admin) };
  return admin;
}

/** AdminJS's page templates link Google Fonts; the panel must load nothing from other hosts. */
export function stripExternalAssets(html: string): string {
  return html.replace(/<link[^>]+fonts\.googleapis\.com[^>]*>/g, '');
}
