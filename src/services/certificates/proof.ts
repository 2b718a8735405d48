/**
 * 学时证明 (issue 19, item 6): a person's hours over a span of years (at most 10, none in the
 * future) — per year by subject type, verification state, completion — with the issuing HR
 * bureau and a QR code opening the public verification page, as a yearly certificate has.
 *
 * A proof is a stored record (migration 019): its number (certificate numbering, `SDZM`), the
 * span, the figures as issued and their SHA-256, who issued it and when. The verification
 * page compares the stored figures with the current ones: a year changed later (a failed
 * 学时审验) makes the proof 与当前记录不一致.
 *
 * Who may print one is the persons policy's `printHourProof` through the one scope function:
 * the person itself, its unit, the HR departments whose jurisdiction holds it. A transfer that
 * completes attaches one (the last five years) issued as the platform in the transaction of the
 * last approval, so the receiving side sees the history; both sides of the transfer may
 * download it (the transfers' scope, as transfer-records.ts reads the other side's rows).
 */
import { createHash } from 'node:crypto';
import { Op, QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import type { Principal } from '../../access/principal.js';
import { scopeOf } from '../../access/scope.js';
import { asPlatform } from '../../access/context.js';
import { AccessDenied, PlatformError } from '../../domain/errors.js';
import { maskIdNumber } from '../../domain/identifiers.js';
import { audit } from '../audit.js';
import { yearlyFigures, type YearFigures } from '../hour-history.js';
import { certificateNumber, PROOF_PREFIX } from './number.js';
import { issuersOf, PROVINCE_BUREAU, seesWholeId, verifyUrlOf } from './issue.js';

export const MAX_PROOF_YEARS = 10;
/** The span a transfer's proof covers: the last five years up to the year of the move. */
export const TRANSFER_PROOF_YEARS = 5;
export const PERSON_OUTSIDE = '该人员不存在或不在您的管辖范围内，不能打印学时证明';
export const PROOF_OUTSIDE = '学时证明不存在或不在您的管辖范围内';

/** The year in China's time zone, whatever the server's. */
export function currentYear(now = new Date()): number {
  return Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(now));
}

/** Why a span cannot be proven, or null: reversed, too long, before 2000, in the future. */
export function proofSpanError(from: number, to: number, now = new Date()): string | null {
  if (!Number.isInteger(from) || !Number.isInteger(to)) return '请填写正确的起止年度（四位数字，如 2021）';
  const thisYear = currentYear(now);
  if (from > to) return `起始年度（${from}年）不能晚于截止年度（${to}年）`;
  if (from < 2000) return '起始年度不能早于2000年';
  if (to > thisYear) return `截止年度不能晚于本年度（${thisYear}年）`;
  if (to - from + 1 > MAX_PROOF_YEARS) return `学时证明最多涵盖${MAX_PROOF_YEARS}个年度（所选为 ${to - from + 1} 个）`;
  return null;
}

/** What a proof claims, as stored. */
export interface ProofSnapshot { name: string; unitName: string; years: YearFigures[] }

export interface ProofFacts extends ProofSnapshot {
  number: string;
  /** As the reader may see it: whole or masked. */
  idNumber: string;
  from: number;
  to: number;
  issuerName: string;
  issuedAt: Date;
  /** The SHA-256 of the figures, printed short as 校验码. */
  hash: string;
  verifyUrl: string;
}

/** A year's figures in a fixed order (jsonb does not keep the order of keys). */
const canonical = (y: YearFigures) => [y.year, y.publicHours, y.professionalHours, y.totalHours, y.completed, y.verification.state, y.verification.failedHours];
const hashOf = (personId: number, from: number, to: number, years: YearFigures[]) =>
  createHash('sha256').update(JSON.stringify([personId, from, to, years.map(canonical)])).digest('hex');

interface Issued { number: string; orgPath: string }

/** Stores a proof of the person's current figures over [from, to]; the caller checked access and span. */
async function storeProof(sequelize: Sequelize, personId: number, from: number, to: number, issuedBy: number | null,
  transferId: number | null, transaction: Transaction): Promise<Issued> {
  const [person] = await sequelize.query<{ name: string; org_path: string; unit_name: string; region_code: string | null }>(
    `SELECT p.name, p.org_path, u.name unit_name, u.region_code FROM persons p JOIN organisations u ON u.id = p.unit_id WHERE p.id = :id`,
    { replacements: { id: personId }, type: QueryTypes.SELECT, transaction });
  if (!person) throw new AccessDenied(PERSON_OUTSIDE);
  const years = await yearlyFigures(sequelize, personId, from, to, { transaction });
  const issuer = (await issuersOf(sequelize, [person.org_path], transaction)).get(person.org_path);
  const [{ n }] = await sequelize.query<{ n: string }>("SELECT nextval('certificate_serial')::text AS n", { type: QueryTypes.SELECT, transaction });
  const number = certificateNumber(currentYear(), issuer?.region_code ?? person.region_code, Number(n), PROOF_PREFIX);
  const figures: ProofSnapshot = { name: person.name, unitName: person.unit_name, years };
  await sequelize.query(
    `INSERT INTO hour_proofs (number, person_id, org_path, from_year, to_year, figures, figures_hash, issuer_org_id, issuer_name, issued_by, transfer_id)
     VALUES (:number, :personId, :path, :from, :to, :figures::jsonb, :hash, :issuerId, :issuerName, :by, :transferId)`,
    {
      replacements: {
        number, personId, path: person.org_path, from, to, figures: JSON.stringify(figures), hash: hashOf(personId, from, to, years),
        issuerId: issuer?.id ?? null, issuerName: issuer?.name ?? PROVINCE_BUREAU, by: issuedBy || null, transferId,
      },
      transaction,
    });
  return { number, orgPath: person.org_path };
}

/**
 * 打印学时证明: a new proof of `personId` over [from, to] for the principal. Refused with a Chinese
 * message and nothing stored when the span is wrong or the person lies outside its scope.
 */
export async function issueHourProof(sequelize: Sequelize, p: Principal, input: { personId: number; from: number; to: number }, ip?: string | null): Promise<{ number: string }> {
  const { personId, from, to } = input;
  const spanError = proofSpanError(from, to);
  if (spanError) throw new PlatformError(spanError);
  const scope = scopeOf(p, 'persons', 'printHourProof').where;
  const person = Number.isInteger(personId) && personId > 0 ? await sequelize.model('Person').findOne({
    where: { [Op.and]: [{ id: personId }, scope] }, attributes: ['id'], raw: true,
  }) : null;
  if (!person) {
    // Outside any transaction: the refusal stays in the audit log.
    await audit({ actor: p, action: 'issue', resource: 'hour_proofs', recordId: `person:${personId}`, outcome: 'refused', reason: PERSON_OUTSIDE, ip });
    throw new AccessDenied(PERSON_OUTSIDE);
  }
  return sequelize.transaction(async (transaction) => {
    const issued = await storeProof(sequelize, personId, from, to, p.accountId, null, transaction);
    await audit({ actor: p, action: 'issue', resource: 'hour_proofs', recordId: issued.number, orgPath: issued.orgPath, ip,
      after: { number: issued.number, person_id: personId, from_year: from, to_year: to } }, transaction);
    return { number: issued.number };
  });
}

/**
 * The proof a completed transfer carries: the last five years up to now, issued before the
 * person moves (so by the sending side's bureau, which kept that history). Runs in the last
 * approval's transaction, as the platform (the two-party flow's effect).
 */
export async function attachTransferProof(sequelize: Sequelize, transfer: Record<string, unknown>, p: Principal, transaction: Transaction): Promise<string> {
  const to = currentYear();
  const personId = Number(transfer.person_id);
  const issued = await storeProof(sequelize, personId, to - TRANSFER_PROOF_YEARS + 1, to, p.accountId, Number(transfer.id), transaction);
  await audit({ actor: p, action: 'issue', resource: 'hour_proofs', recordId: issued.number, orgPath: issued.orgPath,
    after: { number: issued.number, person_id: personId, transfer_id: Number(transfer.id) } }, transaction);
  return issued.number;
}

interface ProofRow {
  number: string; person_id: number; from_year: number; to_year: number; figures: ProofSnapshot; figures_hash: string;
  issuer_name: string; issued_at: Date; id_number: string; org_path: string;
}

const PROOF_SELECT = `SELECT h.number, h.person_id, h.from_year, h.to_year, h.figures, h.figures_hash, h.issuer_name, h.issued_at, p.id_number, h.org_path
  FROM hour_proofs h JOIN persons p ON p.id = h.person_id`;

function factsOf(r: ProofRow, wholeId: boolean): ProofFacts {
  return {
    ...r.figures, number: r.number, idNumber: wholeId ? r.id_number : maskIdNumber(r.id_number), from: r.from_year, to: r.to_year,
    issuerName: r.issuer_name, issuedAt: new Date(r.issued_at), hash: r.figures_hash, verifyUrl: verifyUrlOf(r.number),
  };
}

/** The SQL of the principal's `show` scope on an entity, or null when it may not show any row. */
function scopeSql(p: Principal, entity: string, alias: string): string | null {
  try { return scopeOf(p, entity, 'show').sql(alias); } catch (e) { if (e instanceof AccessDenied) return null; throw e; }
}

/**
 * A proof the principal may download: of a person in its `hour_proofs` scope (itself, its
 * unit's, its jurisdiction's), or attached to a transfer it may see (both sides: the sending
 * one no longer holds the person, so that proof is read as the platform once the transfer
 * was found through the principal's own scope).
 */
export async function printableProof(sequelize: Sequelize, p: Principal, number: string): Promise<{ facts: ProofFacts; orgPath: string } | null> {
  const own = scopeSql(p, 'hour_proofs', 'h');
  let [row] = own ? await sequelize.query<ProofRow>(`${PROOF_SELECT} WHERE h.number = :number AND (${own})`,
    { replacements: { number }, type: QueryTypes.SELECT }) : [];
  if (!row) {
    const transfers = scopeSql(p, 'transfers', 't');
    if (!transfers) return null;
    const [attached] = await asPlatform('调转学时证明', () => sequelize.query<ProofRow & { transfer_id: number }>(
      `${PROOF_SELECT.replace('h.org_path', 'h.org_path, h.transfer_id')} WHERE h.number = :number AND h.transfer_id IS NOT NULL`,
      { replacements: { number }, type: QueryTypes.SELECT }));
    if (!attached) return null;
    const [visible] = await sequelize.query(`SELECT 1 FROM transfers t WHERE t.id = :id AND (${transfers})`,
      { replacements: { id: attached.transfer_id }, type: QueryTypes.SELECT });
    if (!visible) return null;
    row = attached;
  }
  return { facts: factsOf(row, seesWholeId(p)), orgPath: row.org_path };
}

/** The numbers of the proofs attached to transfers (read as the platform: the caller found the transfers in scope). */
export async function proofsOfTransfers(sequelize: Sequelize, transferIds: number[]): Promise<Map<number, string>> {
  if (!transferIds.length) return new Map();
  const rows = await sequelize.query<{ transfer_id: number; number: string }>(
    'SELECT DISTINCT ON (transfer_id) transfer_id, number FROM hour_proofs WHERE transfer_id IN (:ids) ORDER BY transfer_id, issued_at DESC',
    { replacements: { ids: transferIds }, type: QueryTypes.SELECT });
  return new Map(rows.map((r) => [Number(r.transfer_id), r.number]));
}

export interface PublicProof {
  facts: ProofFacts;
  /** The figures as the record holds them now, over the same span. */
  current: YearFigures[];
  /** Whether the current figures are still those the proof states. */
  valid: boolean;
  /** The years whose figures changed since issue. */
  changedYears: number[];
}

const sameYear = (a: YearFigures, b: YearFigures | undefined) => b !== undefined && JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

/** What the public verification page shows of a proof's number: no scope, the ID number masked. */
export async function publicProof(sequelize: Sequelize, number: string): Promise<PublicProof | null> {
  const [r] = await sequelize.query<ProofRow>(`${PROOF_SELECT} WHERE h.number = :number`, { replacements: { number }, type: QueryTypes.SELECT });
  if (!r) return null;
  const current = await yearlyFigures(sequelize, r.person_id, r.from_year, r.to_year);
  const facts = factsOf(r, false);
  const changedYears = facts.years.filter((y) => !sameYear(y, current.find((c) => c.year === y.year))).map((y) => y.year);
  const valid = !changedYears.length && hashOf(r.person_id, r.from_year, r.to_year, facts.years) === r.figures_hash;
  return { facts, current, valid, changedYears };
}
