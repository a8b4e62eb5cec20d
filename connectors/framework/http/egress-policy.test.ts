/** The egress policy's decisions, address by address and rule by rule (no sockets: see http-layer.test.ts for those). */
import { networkInterfaces } from 'node:os';
import { EgressPolicy, EgressRefusedError, parseRules } from './egress-policy';

const refusedBy = async (policy: EgressPolicy, host: string, port = 443) => {
  try {
    await policy.addressesFor(host, port);
    return undefined;
  } catch (err) {
    expect(err).toBeInstanceOf(EgressRefusedError);
    return (err as EgressRefusedError).message;
  }
};

describe('defaults', () => {
  const policy = new EgressPolicy({ resolve: async () => [{ address: '93.184.215.14', family: 4 }], ownAddresses: ['10.20.30.40', 'fd00:abcd::7'] });

  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10', 'loopback'],
    ['::1', 'loopback'],
    ['0.0.0.0', 'this-network'],
    ['0.1.2.3', 'this-network'],
    ['::', 'unspecified'],
    ['169.254.169.254', 'link-local (cloud metadata)'],
    ['169.254.1.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fd00:ec2::254', 'cloud metadata'],
    ['224.0.0.251', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    // IPv6 spellings of IPv4 hosts are judged as those hosts.
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:169.254.169.254', 'cloud metadata'],
    ['64:ff9b::7f00:1', 'loopback'],
    ['2002:7f00:1::1', 'loopback'],
    ['::127.0.0.1', 'loopback'],
    ['::169.254.169.254', 'cloud metadata'],
    ['::102:304', 'IPv4-compatible'],
    ['::ffff:0:a9fe:a9fe', 'IPv4-translated'],
    ['100.100.100.200', 'cloud metadata (Alibaba)'],
    ['168.63.129.16', 'Azure WireServer'],
    // This machine's own addresses reach what listens on all its interfaces, as loopback does.
    ['10.20.30.40', "this machine's own address"],
    ['fd00:abcd::7', "this machine's own address"],
  ])('refuses %s (%s)', (address, why) => {
    const decision = policy.checkAddress(address, 443);
    expect(decision.allowed).toBe(false);
    expect(!decision.allowed && decision.reason).toContain(why);
  });

  it.each(['10.1.2.3', '172.16.0.9', '192.168.1.20', 'fd12:3456::1', '93.184.215.14', '2606:2800:220:1::1'])('allows %s: private ranges are in-house systems', (address) => {
    expect(policy.checkAddress(address, 443)).toEqual({ allowed: true });
  });

  it("refuses this machine's interface addresses by default", () => {
    const own = Object.values(networkInterfaces())
      .flat()
      .find((entry) => entry && !entry.internal && entry.family === 'IPv4');
    if (!own) return; // a machine with loopback only has nothing more to refuse
    expect(new EgressPolicy().checkAddress(own.address, 443)).toEqual({ allowed: false, reason: "this machine's own address" });
  });

  it('refuses names that are addresses in disguise, as the URL parser reads them', async () => {
    for (const disguised of ['127.1', '0x7f000001', '2130706433', '0177.0.0.1', '[::ffff:127.0.0.1]', '[::1]']) {
      const host = new URL(`http://${disguised}/`).hostname;
      expect(await refusedBy(policy, host)).toMatch(/refused by policy: loopback/);
    }
  });

  it('refuses localhost without asking a resolver, and the metadata name', async () => {
    const resolve = jest.fn(async () => [{ address: '93.184.215.14', family: 4 as const }]);
    const strict = new EgressPolicy({ resolve });
    expect(await refusedBy(strict, 'localhost')).toMatch(/localhost:443 refused by policy: loopback/);
    expect(await refusedBy(strict, 'api.localhost')).toMatch(/loopback/);
    expect(await refusedBy(strict, 'metadata.google.internal')).toMatch(/cloud metadata/);
    expect(await refusedBy(strict, 'METADATA.google.internal.')).toMatch(/cloud metadata/);
    expect(resolve).not.toHaveBeenCalled();
  });

  it('refuses a name if any of its addresses is refused (a rebinding answer mixes them)', async () => {
    const mixed = new EgressPolicy({
      resolve: async () => [
        { address: '93.184.215.14', family: 4 },
        { address: '169.254.169.254', family: 4 },
      ],
    });
    expect(await refusedBy(mixed, 'shop.example.com')).toBe('egress to shop.example.com:443 (169.254.169.254) refused by policy: link-local (cloud metadata) (set EGRESS_ALLOW to permit it)');
  });

  it('gives the checked addresses for an allowed name', async () => {
    expect(await policy.addressesFor('shop.example.com', 443)).toEqual([{ address: '93.184.215.14', family: 4 }]);
  });
});

describe('EGRESS_ALLOW and EGRESS_DENY', () => {
  it('lets an address:port through, only on that port', () => {
    const policy = new EgressPolicy({ allow: '127.0.0.1:4010' });
    expect(policy.checkAddress('127.0.0.1', 4010)).toEqual({ allowed: true });
    expect(policy.checkAddress('127.0.0.1', 4011).allowed).toBe(false);
    // The same host spelled as IPv4-mapped IPv6 is the same exception.
    expect(policy.checkAddress('::ffff:127.0.0.1', 4010)).toEqual({ allowed: true });
  });

  it('lets a CIDR range and a host name through', async () => {
    const policy = new EgressPolicy({ allow: '169.254.10.0/24, crm.internal, [::1]:8080', resolve: async () => [{ address: '127.0.0.1', family: 4 }] });
    expect(policy.checkAddress('169.254.10.7', 80)).toEqual({ allowed: true });
    expect(policy.checkAddress('169.254.169.254', 80).allowed).toBe(false);
    expect(policy.checkAddress('::1', 8080)).toEqual({ allowed: true });
    // The operator named the host: what it resolves to is theirs to vouch for.
    expect(await policy.addressesFor('CRM.internal', 9999)).toEqual([{ address: '127.0.0.1', family: 4 }]);
    expect(await refusedBy(policy, 'other.internal')).toMatch(/loopback/);
  });

  it('refuses more with EGRESS_DENY; an exception still wins', async () => {
    const policy = new EgressPolicy({ deny: '10.0.0.0/8,blocked.example.com', allow: '10.1.2.3:443', resolve: async () => [{ address: '10.9.9.9', family: 4 }] });
    expect(policy.checkAddress('10.9.9.9', 443)).toEqual({ allowed: false, reason: 'EGRESS_DENY 10.0.0.0/8' });
    expect(policy.checkAddress('10.1.2.3', 443)).toEqual({ allowed: true });
    expect(policy.checkAddress('192.168.0.1', 443)).toEqual({ allowed: true });
    expect(await refusedBy(policy, 'blocked.example.com')).toMatch(/EGRESS_DENY blocked.example.com/);
    expect(await refusedBy(policy, 'erp.corp')).toMatch(/erp.corp:443 \(10.9.9.9\) refused by policy: EGRESS_DENY 10.0.0.0\/8/);
  });

  it('names a malformed rule', () => {
    expect(() => parseRules('10.0.0.0/99')).toThrow('egress rule "10.0.0.0/99" is not a valid CIDR range');
    expect(() => parseRules('host:99999')).toThrow('egress rule "host:99999" has an invalid port');
    expect(() => parseRules('http://x')).toThrow(/neither a host/);
  });
});
