/** `npm run migrate`: apply pending migrations to DATABASE_URL or the embedded database. */
import { openDatabase } from './connection.js';
import { migrate } from './migrator.js';

const db = await openDatabase();
try {
  const applied = await migrate(db.owner);
  console.log(applied.length ? `已应用迁移：${applied.join(', ')}` : '数据库结构已是最新');
} finally {
  await db.close();
}
