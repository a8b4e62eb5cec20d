/**
 * Where connectors may send customers' credentials. By default everywhere but the addresses an
 * attacker would aim a server-side request at: loopback, link-local, the cloud metadata services,
 * 0.0.0.0/8 and multicast. Private ranges stay allowed, because in-house systems are a main use.
 * `EGRESS_ALLOW` lets exceptions through (host, host:port, address, address:port or CIDR);
 * `EGRESS_DENY` refuses more (e.g. `10.0.0.0/8` in a cloud deployment). An exception wins over
 * both the defaults and `EGRESS_DENY`: it is the operator naming one destination on purpose.
 *
 * This machine's own interface addresses are refused too: they reach the same services loopback does.
 *
 * The policy only decides; `guarded-agent.ts` applies it to every socket, on the address that was
 * checked. Addresses are compared by value (ipaddr.js), so spellings such as `127.1`,
 * `0x7f000001`, `2130706433` or `[::ffff:127.0.0.1]` are the loopback address they stand for.
 */
import { lookup } from 'node:dns/promises';
import { networkInterfaces } from 'node:os';
import ipaddr from 'ipaddr.js';
import type { Env } from '../../../runtime/config/environment';

type Address = ipaddr.IPv4 | ipaddr.IPv6;
type Range = [Address, number];

interface Rule {
  /** A host name (lower case, no trailing dot) or an address range. */
  target: { host: string } | { range: Range };
  /** Only this port; any port when absent. */
  port?: number;
  source: string;
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export type EgressDecision = { allowed: true } | { allowed: false; reason: string };

/** What a refused connection fails with; the HTTP layer maps it onto a non-retryable connector error. */
export class EgressRefusedError extends Error {
  readonly code = 'EGRESS_REFUSED';
  constructor(
    /** host[:port] as the caller named it, plus the address when the name resolved to it. */
    readonly destination: string,
    readonly why: string,
  ) {
    super(`egress to ${destination} refused by policy: ${why} (set EGRESS_ALLOW to permit it)`);
    this.name = 'EgressRefusedError';
  }
}

const DEFAULT_REFUSED: Array<[string, string]> = [
  ['127.0.0.0/8', 'loopback'],
  ['::1/128', 'loopback'],
  ['0.0.0.0/8', 'this-network address'],
  ['::/128', 'unspecified address'],
  ['169.254.0.0/16', 'link-local (cloud metadata)'],
  ['fe80::/10', 'link-local'],
  ['fd00:ec2::254/128', 'cloud metadata'],
  ['100.100.100.200/32', 'cloud metadata (Alibaba)'],
  ['168.63.129.16/32', 'cloud host service (Azure WireServer)'],
  // IPv6 forms that carry an IPv4 address but that the policy has no reason to reach at all.
  ['::/96', 'IPv4-compatible IPv6 address'],
  ['::ffff:0:0:0/96', 'IPv4-translated IPv6 address'],
  ['224.0.0.0/4', 'multicast'],
  ['ff00::/8', 'multicast'],
  ['255.255.255.255/32', 'broadcast'],
];

/** Names that are not looked up: RFC 6761's `localhost` is loopback whatever a resolver says. */
const LOOPBACK_NAMES = /(^|\.)localhost$/;
const LOCALHOST: ResolvedAddress[] = [
  { address: '127.0.0.1', family: 4 },
  { address: '::1', family: 6 },
];
const REFUSED_NAMES = new Map([
  ['metadata.google.internal', 'cloud metadata'],
  ['metadata', 'cloud metadata'],
]);

function normalisedHost(host: string): string {
  return host
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
}

/**
 * The IPv4 address an IPv6 one stands for, if any: IPv4-mapped (`::ffff:a.b.c.d`), NAT64
 * (`64:ff9b::/96`) and 6to4 (`2002::/16`) all reach an IPv4 host, so they are judged as it.
 */
function embeddedIPv4(address: Address): ipaddr.IPv4 | undefined {
  if (address.kind() === 'ipv4') return undefined;
  const v6 = address as ipaddr.IPv6;
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address();
  const bytes = v6.toByteArray();
  if (v6.range() === 'rfc6052') return new ipaddr.IPv4(bytes.slice(12, 16));
  if (v6.range() === '6to4') return new ipaddr.IPv4(bytes.slice(2, 6));
  return undefined;
}

function inRange(address: Address, [base, bits]: Range): boolean {
  return address.kind() === base.kind() && address.match([base, bits] as never);
}

function parseRule(entry: string): Rule {
  const source = entry.trim();
  const cidr = /^([^/]+)\/(\d{1,3})$/.exec(source);
  if (cidr) {
    try {
      return { target: { range: ipaddr.parseCIDR(source) as Range }, source };
    } catch {
      throw new Error(`egress rule "${source}" is not a valid CIDR range`);
    }
  }
  // `[v6]:port`, `host:port`, a bare IPv6 address (several colons), or a bare host.
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(source);
  const hostPort = /^([^:]+):(\d+)$/.exec(source);
  const [host, port] = bracketed ? [bracketed[1]!, bracketed[2]] : hostPort ? [hostPort[1]!, hostPort[2]] : [source, undefined];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65_535)) throw new Error(`egress rule "${source}" has an invalid port`);
  const rulePort = port === undefined ? undefined : Number(port);
  if (ipaddr.isValid(host)) {
    const address = ipaddr.parse(host);
    return { target: { range: [address, address.kind() === 'ipv4' ? 32 : 128] }, port: rulePort, source };
  }
  if (!/^[a-z0-9.-]+$/i.test(host)) throw new Error(`egress rule "${source}" is neither a host, host:port nor a CIDR range`);
  return { target: { host: normalisedHost(host) }, port: rulePort, source };
}

export function parseRules(list: string | undefined): Rule[] {
  return (list ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map(parseRule);
}

const systemResolver: Resolver = async (hostname) => (await lookup(hostname, { all: true, verbatim: true })) as ResolvedAddress[];

/**
 * This machine's own addresses (its pod or bridge IP): through them a connector would reach
 * whatever listens on all interfaces here (the API, metrics, a Temporal frontend), as through loopback.
 */
function ownAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((entry): entry is NonNullable<typeof entry> => entry !== undefined && !entry.internal)
    .map((entry) => entry.address.replace(/%.*$/, ''));
}

export interface EgressPolicyOptions {
  /** Exceptions: `EGRESS_ALLOW`'s entries. */
  allow?: string;
  /** More refused destinations: `EGRESS_DENY`'s entries. */
  deny?: string;
  /** How names become addresses; the system's resolver unless a test gives another. */
  resolve?: Resolver;
  /** This machine's addresses, refused like loopback; read from its network interfaces unless given. */
  ownAddresses?: string[];
}

export class EgressPolicy {
  private readonly allow: Rule[];
  private readonly deny: Rule[];
  private readonly refused: Array<{ range: Range; why: string }>;
  readonly resolve: Resolver;

  constructor(options: EgressPolicyOptions = {}) {
    this.allow = parseRules(options.allow);
    this.deny = parseRules(options.deny);
    this.refused = [
      ...DEFAULT_REFUSED.map(([cidr, why]) => ({ range: ipaddr.parseCIDR(cidr) as Range, why })),
      ...(options.ownAddresses ?? ownAddresses())
        .filter((a) => ipaddr.isValid(a))
        .map((a) => {
          const address = ipaddr.parse(a);
          return { range: [address, address.kind() === 'ipv4' ? 32 : 128] as Range, why: "this machine's own address" };
        }),
    ];
    this.resolve = options.resolve ?? systemResolver;
  }

  static fromEnv(env: Env, resolve?: Resolver): EgressPolicy {
    return new EgressPolicy({ allow: env.EGRESS_ALLOW, deny: env.EGRESS_DENY, resolve });
  }

  private matches(rule: Rule, port: number, host: string | undefined, address: Address | undefined): boolean {
    if (rule.port !== undefined && rule.port !== port) return false;
    if ('host' in rule.target) return host !== undefined && rule.target.host === host;
    const range = rule.target.range;
    if (address === undefined) return false;
    const v4 = embeddedIPv4(address);
    return inRange(address, range) || (v4 !== undefined && inRange(v4, range));
  }

  /** Decided by the name alone: an exception or a refusal naming it, else undefined (look at its addresses). */
  checkName(hostname: string, port: number): EgressDecision | undefined {
    const host = normalisedHost(hostname);
    if (this.allow.some((rule) => this.matches(rule, port, host, undefined))) return { allowed: true };
    const denied = this.deny.find((rule) => this.matches(rule, port, host, undefined));
    if (denied) return { allowed: false, reason: `EGRESS_DENY ${denied.source}` };
    const why = REFUSED_NAMES.get(host);
    return why ? { allowed: false, reason: why } : undefined;
  }

  /** One address the connection would go to. */
  checkAddress(address: string, port: number): EgressDecision {
    let parsed: Address;
    try {
      parsed = ipaddr.parse(address);
    } catch {
      return { allowed: false, reason: 'not an IP address' };
    }
    if (this.allow.some((rule) => this.matches(rule, port, undefined, parsed))) return { allowed: true };
    const denied = this.deny.find((rule) => this.matches(rule, port, undefined, parsed));
    if (denied) return { allowed: false, reason: `EGRESS_DENY ${denied.source}` };
    const candidates = [parsed, embeddedIPv4(parsed)].filter((a): a is Address => a !== undefined);
    const refused = this.refused.find(({ range }) => candidates.some((candidate) => inRange(candidate, range)));
    return refused ? { allowed: false, reason: refused.why } : { allowed: true };
  }

  /**
   * The addresses to connect to for `hostname:port`, each checked; throws EgressRefusedError when
   * the name or any of its addresses is refused (one bad answer among several is a rebinding
   * attempt as likely as a misconfiguration: refuse rather than pick the good one).
   */
  async addressesFor(hostname: string, port: number): Promise<ResolvedAddress[]> {
    const host = normalisedHost(hostname);
    const named = `${host}:${port}`;
    if (ipaddr.isValid(host)) {
      const literal = ipaddr.parse(host);
      this.assert(literal.toString(), port, named);
      return [{ address: literal.toString(), family: literal.kind() === 'ipv4' ? 4 : 6 }];
    }
    const byName = this.checkName(host, port);
    if (byName && !byName.allowed) throw new EgressRefusedError(named, byName.reason);
    if (LOOPBACK_NAMES.test(host)) {
      // Fixed answers, never a resolver's: whichever of them an exception allows.
      const allowed = LOCALHOST.filter(({ address }) => byName?.allowed || this.checkAddress(address, port).allowed);
      if (allowed.length === 0) throw new EgressRefusedError(named, 'loopback');
      return allowed;
    }
    const addresses = await this.resolve(host);
    if (addresses.length === 0) throw new Error(`${host} did not resolve to any address`);
    if (byName?.allowed) return addresses;
    for (const { address } of addresses) this.assert(address, port, `${named} (${address})`);
    return addresses;
  }

  /** The error a connection to this address would fail with, or undefined when it may go. */
  refusal(address: string, port: number, destination = `${address}:${port}`): EgressRefusedError | undefined {
    const decision = this.checkAddress(address, port);
    return decision.allowed ? undefined : new EgressRefusedError(destination, decision.reason);
  }

  private assert(address: string, port: number, destination: string): void {
    const refused = this.refusal(address, port, destination);
    if (refused) throw refused;
  }
}
