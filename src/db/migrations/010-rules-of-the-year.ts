/**
 * Issue 18 in the database:
 *
 * 1. Identifiers by the whole standard. The CHECKs of 001 only test the shape of an ID number
 *    and a credit code; the functions gb11643_violation and gb32100_violation hold every further
 *    rule (src/domain/identifiers.ts: province prefix, birth date, check character; authority,
 *    type for that authority, region digits, GB 11714 inner check, final check) and return the
 *    rule broken, in Chinese. Row triggers refuse a new or changed value that breaks one
 *    (errcode check_violation). They are triggers, not CHECK constraints, on purpose: a value
 *    stored before (636 of the 656 demo credit codes of older seeds fail the inner check) stays
 *    loadable, dumpable and updatable in its other columns — a CHECK, even NOT VALID, would be
 *    re-tested on every UPDATE of such a row (a change of superior rewrites the paths of a whole
 *    subtree). The shape stays with the CHECKs of 001: the functions pass what those refuse.
 *    The messages, province codes and authority table are written in from identifiers.ts, so
 *    both sides name the same rules; test/integration/schema.test.ts compares them.
 *
 * 2. Learning forms of older databases get the seed definitions of issue 18 (config/learning-forms.ts):
 *    the date that decides the year (`decidesYear` on the start date where no field names one),
 *    and — where a row still holds the conversion an earlier seed wrote — the new conversion
 *    (research by level × rank, papers by level × author rank, patents by inventor rank, every
 *    seeded value marked `confirmed: false` with its source) and the fields it reads. A row the
 *    provincial admin has edited keeps its conversion. Existing declarations keep their hours.
 */
import { QueryTypes } from 'sequelize';
import type { Migration } from '../migrator.js';
import { CREDIT_AUTHORITIES, CREDIT_MESSAGES, ID_MESSAGES, PROVINCE_CODES } from '../../domain/identifiers.js';
import { learningForms, type Conversion, type LearningFormField } from '../../../config/learning-forms.js';

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
const provinces = `ARRAY[${PROVINCE_CODES.map(lit).join(', ')}]`;
const authorities = lit(JSON.stringify(CREDIT_AUTHORITIES));

const identifiersSql = /* sql */ `
CREATE OR REPLACE FUNCTION gb11643_violation(v text) RETURNS text LANGUAGE plpgsql STABLE AS $f$
DECLARE
  w int[] := ARRAY[7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  s int := 0;
  born date;
BEGIN
  -- The shape (18 characters, 17 digits, digit or X) is the CHECK's; a 15-digit number the application's.
  IF v IS NULL OR v !~ '^[0-9]{17}[0-9X]$' THEN RETURN NULL; END IF;
  IF left(v, 1) = '9' THEN
    IF NOT substr(v, 2, 2) = ANY (${provinces}) THEN RETURN ${lit(ID_MESSAGES.foreignRegion)}; END IF;
  ELSIF NOT left(v, 2) = ANY (${provinces}) THEN
    RETURN ${lit(ID_MESSAGES.region)};
  END IF;
  BEGIN
    born := make_date(substr(v, 7, 4)::int, substr(v, 11, 2)::int, substr(v, 13, 2)::int);
  EXCEPTION WHEN others THEN
    RETURN ${lit(ID_MESSAGES.birth)};
  END;
  IF born < DATE '1900-01-01' OR born > current_date THEN RETURN ${lit(ID_MESSAGES.birth)}; END IF;
  FOR i IN 1..17 LOOP s := s + (ascii(substr(v, i, 1)) - 48) * w[i]; END LOOP;
  IF substr('10X98765432', s % 11 + 1, 1) <> substr(v, 18, 1) THEN RETURN ${lit(ID_MESSAGES.check)}; END IF;
  RETURN NULL;
END $f$;

CREATE OR REPLACE FUNCTION gb32100_violation(v text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $f$
DECLARE
  alphabet text := '0123456789ABCDEFGHJKLMNPQRTUWXY';
  w int[] := ARRAY[1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  ow int[] := ARRAY[3, 7, 9, 10, 5, 8, 4, 2];
  a jsonb := (${authorities})::jsonb -> left(v, 1);
  s int := 0;
  c int;
BEGIN
  -- The shape (18 characters of the alphabet) is the CHECK's.
  IF v IS NULL OR v !~ '^[0-9A-HJ-NP-RTUW-Y]{18}$' THEN RETURN NULL; END IF;
  IF a IS NULL THEN RETURN ${lit(CREDIT_MESSAGES.authority)}; END IF;
  IF NOT (a -> 'types') ? substr(v, 2, 1) THEN
    RETURN ${lit(CREDIT_MESSAGES.type)} || '：登记管理部门“' || left(v, 1) || ' ' || (a ->> 'name') || '”的机构类别代码为'
      || (SELECT string_agg(k, '、' ORDER BY k) FROM jsonb_object_keys(a -> 'types') k);
  END IF;
  IF substr(v, 3, 6) !~ '^[0-9]{6}$' THEN RETURN ${lit(CREDIT_MESSAGES.region)}; END IF;
  -- GB 11714: a letter counts 10 + its place in A–Z (ascii - 55); C9 = 11 - (sum mod 11), 10 -> X, 11 -> 0.
  FOR i IN 1..8 LOOP
    c := ascii(substr(v, 8 + i, 1));
    s := s + (CASE WHEN c <= 57 THEN c - 48 ELSE c - 55 END) * ow[i];
  END LOOP;
  c := 11 - s % 11;
  IF (CASE c WHEN 10 THEN 'X' WHEN 11 THEN '0' ELSE c::text END) <> substr(v, 17, 1) THEN RETURN ${lit(CREDIT_MESSAGES.orgCode)}; END IF;
  s := 0;
  FOR i IN 1..17 LOOP s := s + (strpos(alphabet, substr(v, i, 1)) - 1) * w[i]; END LOOP;
  IF substr(alphabet, (31 - s % 31) % 31 + 1, 1) <> substr(v, 18, 1) THEN RETURN ${lit(CREDIT_MESSAGES.check)}; END IF;
  RETURN NULL;
END $f$;

-- One trigger function for both: TG_ARGV[0] names the column, and so the standard.
CREATE OR REPLACE FUNCTION refuse_bad_identifier() RETURNS trigger LANGUAGE plpgsql AS $f$
DECLARE
  v text := to_jsonb(NEW) ->> TG_ARGV[0];
  msg text := CASE TG_ARGV[0] WHEN 'credit_code' THEN gb32100_violation(btrim(v)) ELSE gb11643_violation(btrim(v)) END;
BEGIN
  IF msg IS NOT NULL THEN
    RAISE EXCEPTION USING ERRCODE = 'check_violation', MESSAGE = msg, TABLE = TG_TABLE_NAME, COLUMN = TG_ARGV[0], CONSTRAINT = TG_NAME;
  END IF;
  RETURN NEW;
END $f$;

CREATE TRIGGER persons_id_number_gb11643 BEFORE INSERT ON persons FOR EACH ROW EXECUTE FUNCTION refuse_bad_identifier('id_number');
CREATE TRIGGER persons_id_number_gb11643_changed BEFORE UPDATE OF id_number ON persons FOR EACH ROW
  WHEN (NEW.id_number IS DISTINCT FROM OLD.id_number) EXECUTE FUNCTION refuse_bad_identifier('id_number');
CREATE TRIGGER accounts_id_number_gb11643 BEFORE INSERT ON accounts FOR EACH ROW EXECUTE FUNCTION refuse_bad_identifier('id_number');
CREATE TRIGGER accounts_id_number_gb11643_changed BEFORE UPDATE OF id_number ON accounts FOR EACH ROW
  WHEN (NEW.id_number IS DISTINCT FROM OLD.id_number) EXECUTE FUNCTION refuse_bad_identifier('id_number');
CREATE TRIGGER organisations_credit_code_gb32100 BEFORE INSERT ON organisations FOR EACH ROW
  WHEN (NEW.credit_code IS NOT NULL) EXECUTE FUNCTION refuse_bad_identifier('credit_code');
CREATE TRIGGER organisations_credit_code_gb32100_changed BEFORE UPDATE OF credit_code ON organisations FOR EACH ROW
  WHEN (NEW.credit_code IS DISTINCT FROM OLD.credit_code) EXECUTE FUNCTION refuse_bad_identifier('credit_code');
`;

// ------------------------------------------------------------------------------------------
// Learning forms
// ------------------------------------------------------------------------------------------

/** The conversions the seed wrote before issue 18 where they differ from today's (without provenance). */
const EARLIER_SEED: Record<string, unknown> = {
  patent: { method: 'fixed', hours: 30 },
  paper: { method: 'by_option', field: 'publication_level', hours: {
    '学术专著（独著/主编）': 40, '学术专著（参编）/译著': 20, 'SCI/SSCI/EI收录论文': 30, '中文核心期刊论文': 20, '省级及以上公开期刊论文': 10, '其他公开发表论文': 6,
  } },
  research: { method: 'by_option', field: 'rank', hours: { '主持人（第一位）': 30, '第二位': 20, '第三位': 15, '第四至五位': 10, '其他参与人员': 6 } },
};

/** JSON with sorted keys: two definitions are the same when these are equal. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(v);
}
const withoutProvenance = (c: Conversion) => { const { source: _s, confirmed: _c, ...rest } = c; return rest; };
const fieldsRead = (c: Conversion): string[] => (c.method === 'by_option' || c.method === 'per_unit' ? [c.field] : c.method === 'by_two_options' ? [...c.fields] : []);

/** The row's fields and conversion brought to the seed of issue 18 (pure: the test of this migration uses it too). */
export function upgradeLearningForm(code: string, fields: LearningFormField[], conversion: Conversion): { fields: LearningFormField[]; conversion: Conversion } {
  const seed = learningForms.find((f) => f.code === code);
  let out = fields.map((f) => ({ ...f }));
  let conv = conversion;
  if (seed) {
    const before = EARLIER_SEED[code] ?? withoutProvenance(seed.conversion);
    if (canonical(withoutProvenance(conversion)) === canonical(before)) {
      conv = seed.conversion;
      for (const key of fieldsRead(seed.conversion)) {
        const def = seed.fields.find((f) => f.key === key)!;
        const at = out.findIndex((f) => f.key === key);
        if (at >= 0) out[at] = { ...def }; else out = [...out, { ...def }];
      }
    }
  }
  if (!out.some((f) => f.decidesYear === true)) {
    const key = seed?.fields.find((f) => f.decidesYear)?.key ?? 'start_date';
    const at = out.findIndex((f) => f.key === key && f.type === 'date');
    const first = at >= 0 ? at : out.findIndex((f) => f.type === 'date');
    if (first >= 0) out[first] = { ...out[first], decidesYear: true, required: true };
  }
  return { fields: out, conversion: conv };
}

export const migration: Migration = {
  name: '010-rules-of-the-year',
  async up(sequelize, transaction) {
    await sequelize.query(identifiersSql, { transaction });
    const rows = await sequelize.query<{ id: number; code: string; fields: LearningFormField[]; conversion: Conversion }>(
      'SELECT id, code, fields, conversion FROM learning_forms ORDER BY id', { type: QueryTypes.SELECT, transaction });
    for (const r of rows) {
      const next = upgradeLearningForm(r.code, r.fields, r.conversion);
      if (canonical(next) === canonical({ fields: r.fields, conversion: r.conversion })) continue;
      await sequelize.query('UPDATE learning_forms SET fields = CAST(:fields AS jsonb), conversion = CAST(:conversion AS jsonb), updated_at = now() WHERE id = :id',
        { replacements: { id: r.id, fields: JSON.stringify(next.fields), conversion: JSON.stringify(next.conversion) }, transaction });
    }
  },
};
