import {
  validateIdNumber,
  normaliseIdNumber,
  maskIdNumber,
  idNumberCheckChar,
  generateIdNumber,
  validateCreditCode,
  creditCodeCheckChar,
  organisationCodeCheckChar,
  generateCreditCode,
  CREDIT_AUTHORITIES,
  CREDIT_MESSAGES,
  CREDIT_SEEDS,
  ID_MESSAGES,
  PROVINCE_CODES,
  validateMobile,
  validateEmail,
} from '../../src/domain/identifiers.js';

/** Small deterministic PRNG (mulberry32) so failures are reproducible. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');
const DIGITS = '0123456789';
const CREDIT_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

function nextYearYmd(): string {
  return `${new Date().getFullYear() + 1}0101`;
}

describe('validateIdNumber', () => {
  it('accepts the documented examples and derives gender / birth date / region', () => {
    expect(validateIdNumber('11010519491231002X')).toEqual({
      ok: true,
      gender: 'F',
      birthDate: '1949-12-31',
      regionCode: '110105',
    });
    expect(validateIdNumber('370100198203150021')).toEqual({
      ok: true,
      gender: 'F',
      birthDate: '1982-03-15',
      regionCode: '370100',
    });
    expect(validateIdNumber('370103199102021021')).toEqual({
      ok: true,
      gender: 'F',
      birthDate: '1991-02-02',
      regionCode: '370103',
    });
    const male = generateIdNumber('370102', '19800101', 3);
    expect(validateIdNumber(male)).toMatchObject({ ok: true, gender: 'M', birthDate: '1980-01-01' });
  });

  it('accepts a lower-case x check character', () => {
    expect(validateIdNumber('11010519491231002x')).toMatchObject({ ok: true, gender: 'F' });
  });

  it('rejects wrong lengths', () => {
    for (const s of ['', '11010519491231002', '11010519491231002X1', ' 11010519491231002X', '37010285010100X']) {
      expect(validateIdNumber(s)).toEqual({ ok: false, message: '身份证号码应为18位' });
    }
  });

  it('refuses a 15-digit first-generation number, saying how the 18-digit number is formed', () => {
    const r = validateIdNumber('370102850101003');
    expect(r).toEqual({ ok: false, message: ID_MESSAGES.fifteen });
    if (r.ok) return;
    expect(r.message).toMatch(/2013年1月1日停止使用/);
    expect(r.message).toMatch(/第6位后插入出生年份的前两位/);
    expect(r.message).toMatch(/末尾加1位校验码/);
  });

  it('checks the province-level region prefix (GB/T 2260)', () => {
    // The 208 cases the independent check found: 10, 16–20, 24–30, 38–40, 47–49, 55–60, 66–70, 72–80, 84–99 (but 9x is the foreigner's prefix).
    const bad = ['10', '16', '17', '18', '19', '20', '24', '25', '26', '27', '28', '29', '30', '38', '39', '40', '47', '48', '49',
      ...Array.from({ length: 6 }, (_, i) => String(55 + i)), ...Array.from({ length: 5 }, (_, i) => String(66 + i)),
      ...Array.from({ length: 9 }, (_, i) => String(72 + i)), '84', '85', '86', '87', '88', '89'];
    for (const p of bad) {
      const first17 = `${p}1649201403273${p === '10' ? '60' : '61'}`;
      const id = first17 + idNumberCheckChar(first17);
      expect(validateIdNumber(id)).toEqual({ ok: false, message: ID_MESSAGES.region });
    }
    expect(validateIdNumber('101649201403273609')).toEqual({ ok: false, message: ID_MESSAGES.region });
    for (const p of PROVINCE_CODES) expect(validateIdNumber(generateIdNumber(`${p}0102`, '19800101', 3)).ok).toBe(true);
    expect(PROVINCE_CODES).toHaveLength(35);
  });

  it("accepts the foreigners' permanent-residence number (9 + province + nationality), with the same check", () => {
    const id = generateIdNumber('937840', '19850315', 12); // accepted in 山东 (37), nationality 840
    expect(id.startsWith('937840')).toBe(true);
    expect(validateIdNumber(id)).toMatchObject({ ok: true, gender: 'F', birthDate: '1985-03-15' });
    const wrongCheck = id.slice(0, 17) + (id[17] === '0' ? '1' : '0');
    expect(validateIdNumber(wrongCheck)).toEqual({ ok: false, message: ID_MESSAGES.check });
    const first17 = '900840198503150121';
    const noProvince = first17.slice(0, 17) + idNumberCheckChar(first17.slice(0, 17));
    expect(validateIdNumber(noProvince)).toEqual({ ok: false, message: ID_MESSAGES.foreignRegion });
  });

  it('rejects letters in the first 17 characters', () => {
    expect(validateIdNumber('1101051949123100AX')).toEqual({ ok: false, message: '身份证号码前17位应为数字' });
    expect(validateIdNumber('X10105194912310020')).toEqual({ ok: false, message: '身份证号码前17位应为数字' });
    expect(validateIdNumber('11010519491231002A').ok).toBe(false);
  });

  it('rejects invalid calendar dates even with a correct check character', () => {
    for (const date of ['19990230', '19991301', '19990001', '19990100', '19000229', '18991231']) {
      const first17 = `370102${date}003`;
      const id = first17 + idNumberCheckChar(first17);
      expect(validateIdNumber(id)).toEqual({ ok: false, message: '身份证号码中的出生日期无效' });
    }
    // 2000-02-29 is a real date (leap year divisible by 400)
    expect(validateIdNumber(generateIdNumber('370102', '20000229', 3)).ok).toBe(true);
  });

  it('rejects a future birth date', () => {
    const id = generateIdNumber('370102', nextYearYmd(), 1);
    expect(validateIdNumber(id)).toEqual({ ok: false, message: '身份证号码中的出生日期无效' });
  });

  it('rejects a wrong check character', () => {
    expect(validateIdNumber('110105194912310021')).toEqual({ ok: false, message: '身份证号码校验位不正确' });
  });

  it('generated numbers validate, and every single-character substitution is rejected with the rule it breaks', () => {
    const idMessages = new Set<string>(Object.values(ID_MESSAGES));
    const rnd = prng(11643);
    const regions = ['110105', '370100', '370102', '370103', '440305', '310115', '510107', '650102', '810000', '937840'];
    let corruptions = 0;
    for (let k = 0; k < 200; k++) {
      const region = regions[Math.floor(rnd() * regions.length)];
      const y = 1900 + Math.floor(rnd() * 120);
      const m = 1 + Math.floor(rnd() * 12);
      const d = 1 + Math.floor(rnd() * 28);
      const seq = Math.floor(rnd() * 1000);
      const birth = k % 2 === 0 ? `${y}${pad(m, 2)}${pad(d, 2)}` : new Date(y, m - 1, d);
      const id = generateIdNumber(region, birth, seq);
      const res = validateIdNumber(id);
      expect(res).toEqual({
        ok: true,
        gender: seq % 2 === 1 ? 'M' : 'F',
        birthDate: `${y}-${pad(m, 2)}-${pad(d, 2)}`,
        regionCode: region,
      });
      for (let pos = 0; pos < 18; pos++) {
        const allowed = pos === 17 ? DIGITS + 'X' : DIGITS;
        for (const c of allowed) {
          if (c === id[pos]) continue;
          const bad = id.slice(0, pos) + c + id.slice(pos + 1);
          corruptions++;
          const r = validateIdNumber(bad);
          if (r.ok) throw new Error(`corruption accepted: ${id} -> ${bad}`);
          if (!idMessages.has(r.message)) throw new Error(`no rule named for ${bad}: ${r.message}`);
        }
      }
    }
    expect(corruptions).toBeGreaterThan(0);
    // 17 digit positions × 9 alternatives + last position × 10 alternatives
    expect(corruptions).toBe(200 * (17 * 9 + 10));
  });

  it('generateIdNumber rejects malformed arguments', () => {
    expect(() => generateIdNumber('012345', '19900101', 1)).toThrow(RangeError);
    expect(() => generateIdNumber('101649', '19900101', 1)).toThrow(RangeError);
    expect(() => generateIdNumber('900840', '19900101', 1)).toThrow(RangeError);
    expect(() => generateIdNumber('37010', '19900101', 1)).toThrow(RangeError);
    expect(() => generateIdNumber('370102', '19900230', 1)).toThrow(RangeError);
    expect(() => generateIdNumber('370102', '19900101', 1000)).toThrow(RangeError);
    expect(() => generateIdNumber('370102', '19900101', -1)).toThrow(RangeError);
    expect(() => generateIdNumber('370102', '19900101', 1.5)).toThrow(RangeError);
  });

  it('idNumberCheckChar matches the documented example and rejects bad input', () => {
    expect(idNumberCheckChar('11010519491231002')).toBe('X');
    expect(() => idNumberCheckChar('1101051949123100')).toThrow(RangeError);
    expect(() => idNumberCheckChar('1101051949123100A')).toThrow(RangeError);
  });
});

describe('normaliseIdNumber / maskIdNumber', () => {
  it('normalises by trimming and upper-casing', () => {
    expect(normaliseIdNumber('  11010519491231002x \n')).toBe('11010519491231002X');
  });

  it('masks all but the first 6 and last 4 characters', () => {
    expect(maskIdNumber('370102199001010033')).toBe('370102********0033');
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X');
    expect(maskIdNumber('123456789')).toBe('****');
    expect(maskIdNumber('')).toBe('****');
    expect(maskIdNumber('1234567890')).toBe('123456********7890');
  });
});

describe('validateCreditCode', () => {
  /** A code with `first17` and the right final check character. */
  const withCheck = (first17: string) => first17 + creditCodeCheckChar(first17);
  const ruleMessages = (msg: string) => Object.values(CREDIT_MESSAGES).some((m) => msg === m || msg.startsWith(`${CREDIT_MESSAGES.type}：`));

  it('accepts the documented examples (and lower-case input)', () => {
    expect(validateCreditCode('91110000101623741K')).toEqual({ ok: true });
    expect(validateCreditCode('91350100M000100Y43')).toEqual({ ok: true });
    expect(validateCreditCode('91350100m000100y43')).toEqual({ ok: true });
    expect(creditCodeCheckChar('91110000101623741')).toBe('K');
    expect(creditCodeCheckChar('91350100M000100Y4')).toBe('3');
    expect(organisationCodeCheckChar('10162374')).toBe('1');
    expect(organisationCodeCheckChar('M000100Y')).toBe('4');
  });

  it('computes the GB 11714 check character: 10 → X, 11 → 0, letters count 10 + their place in A–Z', () => {
    expect(organisationCodeCheckChar('00000000')).toBe('0'); // Σ = 0 → 11 → 0
    expect(organisationCodeCheckChar('00000005')).toBe('1'); // Σ = 10 → 1
    expect(organisationCodeCheckChar('00000050')).toBe('2'); // Σ = 20 mod 11 = 9 → 2
    expect(organisationCodeCheckChar('00000010')).toBe('7'); // Σ = 4 → 7
    expect(organisationCodeCheckChar('00000001')).toBe('9'); // Σ = 2 → 9
    expect(organisationCodeCheckChar('10000000')).toBe('8'); // Σ = 3 → 8
    expect(organisationCodeCheckChar('00100000')).toBe('2'); // Σ = 9 → 2
    expect(organisationCodeCheckChar('00000003')).toBe('5'); // Σ = 6 → 5
    expect(organisationCodeCheckChar('00000000'.slice(0, 7) + '6')).toBe('X'); // Σ = 12 mod 11 = 1 → 10 → X
    // J counts 19 (GB 11714), not 18 (its value in the credit-code alphabet): 19·3 = 57 ≡ 2 → 9 (18·3 = 54 ≡ 10 would give 1).
    expect(organisationCodeCheckChar('J0000000')).toBe('9');
  });

  it('rejects wrong lengths', () => {
    for (const s of ['', '91110000101623741', '91110000101623741KK']) {
      expect(validateCreditCode(s)).toEqual({ ok: false, message: '统一社会信用代码应为18位' });
    }
  });

  it('rejects the forbidden letters I O S V Z and other illegal characters', () => {
    const msg = '统一社会信用代码含有非法字符（不得包含I、O、S、V、Z）';
    for (const c of ['I', 'O', 'S', 'V', 'Z', 'i', 'o', '-', ' ']) {
      const bad = '911100001016237' + c + '1K';
      expect(validateCreditCode(bad)).toEqual({ ok: false, message: msg });
    }
  });

  it('rejects a wrong final check character', () => {
    expect(validateCreditCode('91110000101623741J')).toEqual({ ok: false, message: CREDIT_MESSAGES.check });
    expect(validateCreditCode('91370102MA3C00003L')).toEqual({ ok: true });
    expect(validateCreditCode('91370102MA3C000031')).toEqual({ ok: false, message: CREDIT_MESSAGES.check });
  });

  it('each rule violated on its own (the final check character made right) fails with that rule', () => {
    // Character 1: registration authority ∈ {1–9, A, N, Y}.
    for (const a of CREDIT_ALPHABET) {
      const code = withCheck(`${a}1370102MA3C00003`);
      if ('123456789ANY'.includes(a)) expect(validateCreditCode(code)).toEqual({ ok: true });
      else expect(validateCreditCode(code)).toEqual({ ok: false, message: CREDIT_MESSAGES.authority });
    }
    // Character 2: the organisation type must be one the authority issues (GB 32100 table 1).
    let typeCases = 0;
    for (const [authority, { name, types }] of Object.entries(CREDIT_AUTHORITIES)) {
      for (const t of CREDIT_ALPHABET) {
        const r = validateCreditCode(withCheck(`${authority}${t}370102MA3C00003`));
        if (t in types) expect(r).toEqual({ ok: true });
        else {
          typeCases++;
          expect(r).toEqual({ ok: false, message: `${CREDIT_MESSAGES.type}：登记管理部门“${authority} ${name}”的机构类别代码为${Object.keys(types).join('、')}` });
        }
      }
    }
    expect(typeCases).toBe(12 * 31 - 36); // 36 (authority, type) pairs in the table
    expect(validateCreditCode(withCheck('99370102MA3C00003'))).toMatchObject({ ok: false, message: expect.stringContaining('“9 工商”的机构类别代码为1、2、3') });
    expect(validateCreditCode(withCheck('Y2370102MA3C00003'))).toMatchObject({ ok: false, message: expect.stringContaining('“Y 其他”的机构类别代码为1') });
    // Characters 3–8: six digits.
    for (let pos = 2; pos < 8; pos++) {
      const first17 = '91370102MA3C00003';
      expect(validateCreditCode(withCheck(first17.slice(0, pos) + 'A' + first17.slice(pos + 1)))).toEqual({ ok: false, message: CREDIT_MESSAGES.region });
    }
    // Characters 9–17: the organisation code's own check character.
    for (const c of CREDIT_ALPHABET) {
      const r = validateCreditCode(withCheck(`91370102MA3C0000${c}`));
      expect(r).toEqual(c === '3' ? { ok: true } : { ok: false, message: CREDIT_MESSAGES.orgCode });
    }
    expect(validateCreditCode(withCheck('91370102MA3C0000X'))).toEqual({ ok: false, message: CREDIT_MESSAGES.orgCode });
    expect(validateCreditCode(withCheck(`913701020000000${'6'}X`))).toEqual({ ok: true }); // X is a valid inner check
  });

  it('generated codes pass every rule, and every single-character substitution is rejected with the rule it breaks', () => {
    const rnd = prng(32100);
    let corruptions = 0;
    const seeds = [0, 1, 30, 31, 10_000_000, CREDIT_SEEDS - 1];
    while (seeds.length < 200) seeds.push(Math.floor(rnd() * CREDIT_SEEDS));
    const parts = Object.entries(CREDIT_AUTHORITIES).flatMap(([authority, { types }]) => Object.keys(types).map((type) => ({ authority, type })));
    const regions = ['370000', '370100', '370102', '100000', '110105'];
    seeds.forEach((seed, i) => {
      const code = generateCreditCode(seed, { ...parts[i % parts.length], region: regions[i % regions.length] });
      expect(code).toHaveLength(18);
      expect(validateCreditCode(code)).toEqual({ ok: true });
      for (let pos = 0; pos < 18; pos++) {
        for (const c of CREDIT_ALPHABET) {
          if (c === code[pos]) continue;
          const bad = code.slice(0, pos) + c + code.slice(pos + 1);
          corruptions++;
          const r = validateCreditCode(bad);
          if (r.ok) throw new Error(`corruption accepted: ${code} -> ${bad}`);
          if (!ruleMessages(r.message)) throw new Error(`no rule named for ${bad}: ${r.message}`);
        }
      }
    });
    expect(corruptions).toBe(200 * 18 * 30);
  });

  it('generateCreditCode is deterministic and injective over a sample of seeds', () => {
    expect(generateCreditCode(12345)).toBe(generateCreditCode(12345));
    const seen = new Set<string>();
    const rnd = prng(7);
    const seeds = new Set<number>();
    for (let s = 0; s < 20_000; s++) seeds.add(s);
    for (let s = 9_990_000; s <= 10_000_000; s++) seeds.add(s);
    while (seeds.size < 60_000) seeds.add(Math.floor(rnd() * CREDIT_SEEDS));
    for (const s of seeds) seen.add(generateCreditCode(s));
    expect(seen.size).toBe(seeds.size);
    expect(() => generateCreditCode(-1)).toThrow(RangeError);
    expect(() => generateCreditCode(1.5)).toThrow(RangeError);
    expect(() => generateCreditCode(CREDIT_SEEDS)).toThrow(RangeError);
    expect(() => generateCreditCode(1, { authority: '9', type: '9' })).toThrow(RangeError);
    expect(() => generateCreditCode(1, { region: '37010' })).toThrow(RangeError);
  });
});

describe('validateMobile', () => {
  it('accepts valid mainland mobile numbers', () => {
    for (const s of ['13800138000', '15912345678', '19999999999', '16600000000']) {
      expect(validateMobile(s)).toEqual({ ok: true });
    }
  });

  it('rejects malformed numbers', () => {
    for (const s of ['', '12800138000', '10800138000', '1380013800', '138001380001', '+8613800138000', '1380013800a', ' 13800138000']) {
      expect(validateMobile(s)).toEqual({ ok: false, message: '手机号码格式不正确' });
    }
  });
});

describe('validateEmail', () => {
  it('accepts reasonable addresses', () => {
    for (const s of ['user@example.com', 'zhang.san+ce@rsj.shandong.gov.cn', 'a_b-c@sub-domain.example.org', 'x@y.io']) {
      expect(validateEmail(s)).toEqual({ ok: true });
    }
  });

  it('rejects malformed or over-long addresses', () => {
    const tooLong = `${'a'.repeat(60)}@${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.${'e'.repeat(20)}.com`;
    expect(tooLong.length).toBeGreaterThan(254);
    const longLocal = `${'a'.repeat(65)}@example.com`;
    for (const s of [
      '', 'plainaddress', '@example.com', 'user@', 'user@example', 'user@@example.com',
      'user name@example.com', '.user@example.com', 'user.@example.com', 'us..er@example.com',
      'user@-example.com', 'user@example-.com', 'user@example..com', 'user@example.c', tooLong, longLocal,
    ]) {
      expect(validateEmail(s)).toEqual({ ok: false, message: '电子邮箱格式不正确' });
    }
  });
});
