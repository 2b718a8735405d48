/**
 * The notifier's adapters (src/services/notifier.ts): e-mail over SMTP through nodemailer,
 * configured by SMTP_URL, against a tiny SMTP server in this process; the SMS gateway
 * interface; routing by channel. What a recipient's mail server would receive: the envelope,
 * the sender, the recipient and the Chinese subject and text intact.
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Sequelize } from 'sequelize';
import { channelNotifier, notifierFromEnv, smsNotifier, smtpNotifier, type Notifier, type SmsGateway } from '../../src/services/notifier.js';

interface Received { from: string; to: string[]; data: string }

/** Just enough SMTP (RFC 5321) to accept messages: EHLO, MAIL, RCPT, DATA, QUIT; RSET/NOOP answered. */
async function smtpServer(opts: { refuseRcpt?: boolean } = {}) {
  const received: Received[] = [];
  const server = net.createServer((socket) => {
    let buffer = '';
    let inData = false;
    let current: Received = { from: '', to: [], data: '' };
    const say = (s: string) => socket.write(`${s}\r\n`);
    say('220 test.local ESMTP');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          current.data = buffer.slice(0, end);
          buffer = buffer.slice(end + 5);
          inData = false;
          received.push(current);
          current = { from: '', to: [], data: '' };
          say('250 2.0.0 queued');
          continue;
        }
        const nl = buffer.indexOf('\r\n');
        if (nl < 0) return;
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') { socket.write('250-test.local\r\n250 8BITMIME\r\n'); }
        else if (verb === 'MAIL') { current.from = /<([^>]*)>/.exec(line)?.[1] ?? ''; say('250 2.1.0 ok'); }
        else if (verb === 'RCPT') {
          if (opts.refuseRcpt) say('550 5.1.1 mailbox unavailable');
          else { current.to.push(/<([^>]*)>/.exec(line)?.[1] ?? ''); say('250 2.1.5 ok'); }
        }
        else if (verb === 'DATA') { inData = true; say('354 end with <CRLF>.<CRLF>'); }
        else if (verb === 'QUIT') { say('221 bye'); socket.end(); return; }
        else say('250 ok');
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return { url: `smtp://127.0.0.1:${port}`, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** The text of a received message: headers unfolded, the body decoded from its transfer encoding. */
function parse(data: string): { headers: Record<string, string>; text: string } {
  const [head, ...rest] = data.split('\r\n\r\n');
  const headers: Record<string, string> = {};
  for (const h of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const i = h.indexOf(':');
    headers[h.slice(0, i).toLowerCase()] = h.slice(i + 1).trim();
  }
  const body = rest.join('\r\n\r\n');
  const enc = (headers['content-transfer-encoding'] ?? '').toLowerCase();
  const bytes = enc === 'base64' ? Buffer.from(body.replace(/\s+/g, ''), 'base64')
    : enc === 'quoted-printable' ? Buffer.from(body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_, x: string) => String.fromCharCode(parseInt(x, 16))), 'latin1')
      : Buffer.from(body, 'latin1');
  return { headers, text: bytes.toString('utf8') };
}

/** An encoded-word header (=?UTF-8?B?…?= / =?UTF-8?Q?…?=) as text. */
const decodeHeader = (v: string) => v.replace(/=\?utf-8\?([bq])\?([^?]*)\?=\s*/gi, (_, kind: string, s: string) =>
  (kind.toLowerCase() === 'b' ? Buffer.from(s, 'base64')
    : Buffer.from(s.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/g, (__, x: string) => String.fromCharCode(parseInt(x, 16))), 'latin1')).toString('utf8'));

describe('e-mail over SMTP (nodemailer)', () => {
  it('delivers the reminder to the recipient\'s envelope, with the Chinese subject and text intact', async () => {
    const server = await smtpServer();
    try {
      const notifier = smtpNotifier(server.url, '继续教育平台 <noreply@test.local>');
      const body = '孙悦，您好：\n您2026年度继续教育学时尚差专业科目50学时。';
      await notifier.send({ channel: 'email', recipient: 'sunyue@example.com', subject: '2026年度继续教育学时提醒', body });
      expect(server.received).toHaveLength(1);
      const [m] = server.received;
      expect(m).toMatchObject({ from: 'noreply@test.local', to: ['sunyue@example.com'] });
      const { headers, text } = parse(m.data);
      expect(headers.to).toBe('sunyue@example.com');
      expect(decodeHeader(headers.subject)).toBe('2026年度继续教育学时提醒');
      expect(decodeHeader(headers.from)).toContain('noreply@test.local');
      expect(text.replace(/\r\n/g, '\n')).toContain(body);
    } finally { await server.close(); }
  });

  it('a refused recipient rejects the send (the caller records it), and SMTP_URL chooses SMTP for e-mail only', async () => {
    const server = await smtpServer({ refuseRcpt: true });
    try {
      await expect(smtpNotifier(server.url).send({ channel: 'email', recipient: 'nobody@example.com', subject: 's', body: 'b' })).rejects.toThrow();
    } finally { await server.close(); }
    const ok = await smtpServer();
    const sms: string[] = [];
    const gateway: SmsGateway = { name: 'test', async send(mobile, text) { sms.push(`${mobile}:${text}`); } };
    // The outbox is not reached: neither channel falls back to it (a sequelize that would throw if used).
    const noDatabase = { query: async () => { throw new Error('outbox used'); } } as unknown as Sequelize;
    try {
      const n = notifierFromEnv(noDatabase, { SMTP_URL: ok.url, SMTP_FROM: 'a@test.local' }, { sms: gateway, log: () => {} });
      await n.send({ channel: 'email', recipient: 'x@example.com', subject: '主题', body: '正文' });
      await n.send({ channel: 'mobile', recipient: '13800000000', subject: '主题', body: '短信正文' });
      expect(ok.received.map((m) => m.to)).toEqual([['x@example.com']]);
      expect(sms).toEqual(['13800000000:短信正文']);
    } finally { await ok.close(); }
  });
});

describe('routing and the SMS gateway interface', () => {
  it('sends each channel through its own adapter and the rest to the fallback', async () => {
    const seen: string[] = [];
    const to = (name: string): Notifier => ({ async send(n) { seen.push(`${name}:${n.recipient}`); } });
    const n = channelNotifier({ mobile: to('sms') }, to('outbox'));
    await n.send({ channel: 'mobile', recipient: '13800000000', subject: '', body: '' });
    await n.send({ channel: 'email', recipient: 'a@example.com', subject: '', body: '' });
    expect(seen).toEqual(['sms:13800000000', 'outbox:a@example.com']);
  });

  it('an SMS notifier refuses an e-mail rather than texting an address', async () => {
    const gateway: SmsGateway = { name: 'test', send: async () => {} };
    await expect(smsNotifier(gateway).send({ channel: 'email', recipient: 'a@example.com', subject: '', body: '' })).rejects.toThrow('短信网关');
  });
});
