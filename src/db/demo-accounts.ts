/**
 * The demo accounts that `seedDemoData` creates (all with the password DEMO_PASSWORD).
 * Kept apart from the seed so that tests and the README can import them cheaply.
 * E-mail addresses use the reserved domain example.com: the forgotten-password flow may
 * send to them without reaching anybody.
 */

export const DEMO_PASSWORD = 'Demo@2026';

export interface DemoAccount {
  idNumber: string;
  name: string;
  /** What the account is, in Chinese, for the README. */
  role: string;
  /** Name of the organisation it belongs to (the unit for the person). */
  organisationName: string;
  /** 'admin': an administrator of organisationName; 'person': a professional person of that unit. */
  kind: 'admin' | 'person';
  isSuper: boolean;
  /** Internal department of the organisation, for admins attached to one. */
  departmentName?: string;
  mobile: string;
  email: string;
}

export const DEMO_UNIT_LIXIA = '济南市历下区第一人民医院';
export const DEMO_UNIT_SHIZHONG = '济南市市中区人民医院';
export const DEMO_UNIT_SHINAN = '青岛海信电子产业控股股份有限公司';
export const DEMO_CE_BASE = '济南市专业技术人员继续教育基地（济南大学）';

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  {
    idNumber: '370000198001010017', name: '张伟', role: '省人社厅超级管理员',
    organisationName: '山东省人力资源和社会保障厅', kind: 'admin', isSuper: true,
    mobile: '13953100017', email: 'zhangwei@hrss-sd.example.com',
  },
  {
    idNumber: '370100198203150021', name: '李娜', role: '济南市人社局超级管理员',
    organisationName: '济南市人力资源和社会保障局', kind: 'admin', isSuper: true,
    mobile: '13853100021', email: 'lina@hrss-jinan.example.com',
  },
  {
    idNumber: '370102198506200033', name: '王强', role: '历下区人社局超级管理员',
    organisationName: '历下区人力资源和社会保障局', kind: 'admin', isSuper: true,
    mobile: '15853100033', email: 'wangqiang@hrss-lixia.example.com',
  },
  {
    idNumber: '370103198708080048', name: '刘婷', role: '市中区（济南）人社局超级管理员',
    organisationName: '市中区人力资源和社会保障局', kind: 'admin', isSuper: true,
    mobile: '18653100048', email: 'liuting@hrss-shizhong.example.com',
  },
  {
    idNumber: '370200198302120050', name: '陈刚', role: '青岛市人社局超级管理员',
    organisationName: '青岛市人力资源和社会保障局', kind: 'admin', isSuper: true,
    mobile: '13953200050', email: 'chengang@hrss-qingdao.example.com',
  },
  {
    idNumber: '370202198609090063', name: '杨丽', role: '市南区人社局超级管理员',
    organisationName: '市南区人力资源和社会保障局', kind: 'admin', isSuper: true,
    mobile: '15153200063', email: 'yangli@hrss-shinan.example.com',
  },
  {
    idNumber: '370102199001011012', name: '赵鹏', role: '用人单位超级管理员（历下区）',
    organisationName: DEMO_UNIT_LIXIA, kind: 'admin', isSuper: true,
    mobile: '17753101012', email: 'zhaopeng@lxyy.example.com',
  },
  {
    idNumber: '370103199102021021', name: '孙悦', role: '专业技术人员（市中区）',
    organisationName: DEMO_UNIT_SHIZHONG, kind: 'person', isSuper: false,
    mobile: '18753101021', email: 'sunyue@example.com',
  },
  {
    idNumber: '370105198811230043', name: '周敏', role: '济南市人社局管理员（专业技术人员管理处）',
    organisationName: '济南市人力资源和社会保障局', kind: 'admin', isSuper: false, departmentName: '专业技术人员管理处',
    mobile: '13573100043', email: 'zhoumin@hrss-jinan.example.com',
  },
  {
    idNumber: '370112199205170034', name: '吴强', role: '济南市人社局管理员（办公室）',
    organisationName: '济南市人力资源和社会保障局', kind: 'admin', isSuper: false, departmentName: '办公室',
    mobile: '13665310034', email: 'wuqiang@hrss-jinan.example.com',
  },
  // Last, so that every other demo account keeps its id: the login page offers 继续教育基地管理员.
  {
    idNumber: '370102198906150020', name: '郑洁', role: '继续教育基地超级管理员（济南大学）',
    organisationName: DEMO_CE_BASE, kind: 'admin', isSuper: true,
    mobile: '13805310020', email: 'zhengjie@jxjy-ujn.example.com',
  },
];
