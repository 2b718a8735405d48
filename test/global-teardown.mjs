export default async function globalTeardown() {
  const { teardownDatabase } = await import('./setup/database.ts');
  await teardownDatabase();
}
