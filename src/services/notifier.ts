/**
 * How one-time codes reach a person. Production plugs an SMS or mail gateway in here; the
 * development notifier writes the message to the log and to table notification_outbox.
 */
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
