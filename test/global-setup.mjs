// Jest loads global setup outside its transform; tsx loads the TypeScript set-up instead.
import { register } from 'tsx/esm/api';

export default async function globalSetup() {
  register();
  const { setupDatabase } = await import('./setup/database.ts');
  await setupDatabase();
}
