/** The panel's menu, in the manual's order (group names are translated in src/admin/locale.ts). */
export const nav = {
  own: { name: 'ownOrganisation', icon: 'Home' },
  account: { name: 'accountManagement', icon: 'Users' },
  transfer: { name: 'personnelTransfer', icon: 'Shuffle' },
  declare: { name: 'hourDeclaration', icon: 'Edit' },
  review: { name: 'hourReview', icon: 'CheckSquare' },
  verify: { name: 'hourVerification', icon: 'Shield' },
  stats: { name: 'statistics', icon: 'BarChart2' },
  system: { name: 'systemManagement', icon: 'Settings' },
} as const;
