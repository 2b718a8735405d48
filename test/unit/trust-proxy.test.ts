/** TRUST_PROXY (config/index.ts): whose X-Forwarded-For Express believes; default nobody's. */
import { parseTrustProxy } from '../../config/index.js';

describe('TRUST_PROXY', () => {
  it('trusts no forwarded address unless configured', () => {
    for (const v of [undefined, '', ' ', '0', 'false', 'FALSE']) expect(parseTrustProxy(v)).toBe(false);
  });
  it('takes a hop count, or addresses, networks and Express names', () => {
    expect(parseTrustProxy('1')).toBe(1);
    expect(parseTrustProxy('10.0.0.0/8, 192.168.1.5')).toBe('10.0.0.0/8,192.168.1.5');
    expect(parseTrustProxy('loopback')).toBe('loopback');
  });
  it('refuses to trust every hop (any client would pick its own address)', () => {
    expect(() => parseTrustProxy('true')).toThrow(/TRUST_PROXY/);
    expect(() => parseTrustProxy('*')).toThrow(/TRUST_PROXY/);
  });
});
