/**
 * How messages reach people: one-time codes, scheduled-export notices, year-end reminders.
 *
 * A `Notifier` sends one `Notification` on its channel. Adapters:
 * - the development outbox (`outboxNotifier`): the message goes to the log and to table
 *   notification_outbox — the default for every channel that has no gateway configured;
 * - e-mail over SMTP (`smtpNotifier`, nodemailer), configured by `SMTP_URL`
 *   (`smtp://user:pass@mail.example.com:587`, `smtps://…:465`) and `SMTP_FROM`;
 * - SMS through an `SmsGateway` (`smsNotifier`): the interface a provider's adapter implements
 *   (Aliyun, Tencent Cloud, a carrier's HTTP API — none is bundled); `developmentSmsGateway`
 *   writes the text to the outbox as channel `mobile`.
 * `notifierFromEnv` picks them from the environment; `channelNotifier` routes by channel.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import type { Sequelize, Transaction } from 'sequelize';

export interface Notification { channel: 'email' | 'mobile'; recipient: string; subject: string; body: string }
export interface Notifier { send(n: Notification, transaction?: Transaction): Promise<void> }

export function outboxNotifier(sequelize: Sequelize, log: (s: string) => void = console.log): Notifier {
  return {
    async send(n, transaction) {
      await sequelize.query(
        'INSERT INTO notification_outbox (channel, recipient, subject, body) VALUES (:channel, :recipient, :subject, :body)',
        { replacements: { ...n }, transaction },
      );
      log(`[通知:${n.channel === 'email' ? '邮件' : '短信'}] ${n.recipient} ${n.subject}：${n.body}`);
    },
  };
}

/**
 * An SMS provider. `send` resolves once the gateway has accepted the message and rejects (with a
 * message fit for the log) when it refused it; it never retries by itself — the caller records
 * a failure (the year-end reminder log keeps it) and decides. `text` is the whole SMS, signature
 * included; a gateway that needs a template id maps it here.
 */
export interface SmsGateway {
  /** For the log: which gateway sent it. */
  readonly name: string;
  send(mobile: string, text: string): Promise<void>;
}

/** Development SMS gateway: nothing leaves the machine; the text lands in notification_outbox (channel mobile). */
export function developmentSmsGateway(sequelize: Sequelize, log: (s: string) => void = console.log): SmsGateway {
  const outbox = outboxNotifier(sequelize, log);
  return { name: 'development', send: (mobile, text) => outbox.send({ channel: 'mobile', recipient: mobile, subject: '短信', body: text }) };
}

export function smsNotifier(gateway: SmsGateway): Notifier {
  return {
    async send(n) {
      if (n.channel !== 'mobile') throw new Error(`短信网关不能发送${n.channel}消息`);
      await gateway.send(n.recipient, n.body);
    },
  };
}

/** E-mail through any nodemailer transport (SMTP in production; the stream/JSON transports in tests). */
export function mailNotifier(transport: Transporter, from: string): Notifier {
  return {
    async send(n) {
      if (n.channel !== 'email') throw new Error(`邮件通道不能发送${n.channel}消息`);
      await transport.sendMail({ from, to: n.recipient, subject: n.subject, text: n.body });
    },
  };
}

export const DEFAULT_MAIL_FROM = '山东省专业技术人员继续教育公共服务平台 <noreply@hrss.shandong.example.cn>';

/** E-mail over SMTP: `url` as nodemailer takes it (smtp://, smtps://, with credentials and options in the query). */
export function smtpNotifier(url: string, from = DEFAULT_MAIL_FROM): Notifier {
  return mailNotifier(nodemailer.createTransport(url), from);
}

/** Routes each notification to the notifier of its channel, else to `fallback`. */
export function channelNotifier(channels: Partial<Record<Notification['channel'], Notifier>>, fallback: Notifier): Notifier {
  return { send: (n, transaction) => (channels[n.channel] ?? fallback).send(n, transaction) };
}

/** E-mail over SMTP when SMTP_URL is set, SMS through the gateway given (the development one by default), the outbox otherwise. */
export function notifierFromEnv(
  sequelize: Sequelize, env: NodeJS.ProcessEnv = process.env, opts: { sms?: SmsGateway; log?: (s: string) => void } = {},
): Notifier {
  const outbox = outboxNotifier(sequelize, opts.log);
  return channelNotifier({
    email: env.SMTP_URL ? smtpNotifier(env.SMTP_URL, env.SMTP_FROM || DEFAULT_MAIL_FROM) : outbox,
    mobile: smsNotifier(opts.sms ?? developmentSmsGateway(sequelize, opts.log)),
  }, outbox);
}
