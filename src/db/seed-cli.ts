/**
 * `npm run seed`: apply the migrations, then load the demo data into an empty database
 * (DATABASE_URL, or the embedded PostgreSQL in DATA_DIR). A database that already holds
 * organisations is left alone.
 */
import { openDatabase } from './connection.js';
import { migrate } from './migrator.js';
import { databaseIsEmpty, seedDemoData } from './seed.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from './demo-accounts.js';

const started = Date.now();
const db = await openDatabase();
try {
  const applied = await migrate(db.owner);
  if (applied.length) console.log(`已应用迁移：${applied.join(', ')}`);
  if (!(await databaseIsEmpty(db.owner))) {
    console.log('数据库已有数据，跳过演示数据');
  } else {
    console.log(`正在生成演示数据（${db.embedded ? '内置数据库' : 'PostgreSQL'}）…`);
    const r = await seedDemoData(db.owner, { log: (s) => console.log(`  ${s}`) });
    console.log(`演示数据已生成：机构 ${r.organisations} 个，专业技术人员 ${r.persons} 人，学时申报 ${r.declarations} 条，用时 ${(r.ms / 1000).toFixed(1)} 秒`);
    console.log(`演示账号（密码均为 ${DEMO_PASSWORD}）：`);
    for (const a of DEMO_ACCOUNTS) console.log(`  ${a.idNumber}  ${a.name}  ${a.role}（${a.organisationName}）`);
  }
  console.log(`总用时 ${((Date.now() - started) / 1000).toFixed(1)} 秒`);
} finally {
  await db.close();
}
