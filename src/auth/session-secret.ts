/**
 * The session secret: SESSION_SECRET in production (the server refuses to start without it);
 * in development one is generated once per data folder and kept there.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { config } from '../../config/index.js';

export function sessionSecret(dataDir = config.dataDir): string {
  if (config.sessionSecret) {
    if (config.sessionSecret.length < 32) throw new Error('SESSION_SECRET 至少需要32个字符');
    return config.sessionSecret;
  }
  if (config.isProduction) throw new Error('生产环境必须设置环境变量 SESSION_SECRET（至少32个字符）');
  const file = path.join(dataDir, 'session-secret');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  fs.mkdirSync(dataDir, { recursive: true });
  const secret = crypto.randomBytes(48).toString('base64url');
  fs.writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
