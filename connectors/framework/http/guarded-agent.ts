/**
 * Keep-alive agents that apply the egress policy to every socket they open. A host name is
 * resolved once, every address checked, and the socket connects to exactly those addresses (the
 * lookup hands them to `net.connect`), so a second DNS answer cannot point the connection
 * elsewhere (DNS rebinding). An address literal is checked before any socket exists. A refused
 * destination therefore never receives a packet.
 */
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction, Socket } from 'node:net';
import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import type { EgressPolicy, ResolvedAddress } from './egress-policy';

export interface AgentTuning {
  /** Sockets per origin, in use or idle: bounds what one busy remote can take. */
  maxSocketsPerOrigin: number;
  /** Idle sockets kept per origin for reuse. */
  maxFreeSocketsPerOrigin: number;
  /** Sockets across all origins. */
  maxSockets: number;
  /** Certificate authorities to trust instead of Node's defaults (an in-house CA; `NODE_EXTRA_CA_CERTS` adds to the defaults instead). */
  ca?: string | Buffer | Array<string | Buffer>;
}

type ConnectionOptions = http.ClientRequestArgs & { host?: string; port?: number | string; lookup?: LookupFunction };
type OnCreate = (err: Error | null, socket?: Duplex) => void;

/**
 * LIFO reuses the warmest socket. Idle sockets close after 30 s, and all origins together hold at
 * most `maxSockets` sockets, so a remote with many names cannot pin the worker's file descriptors.
 */
function agentOptions(tuning: AgentTuning): http.AgentOptions {
  return {
    keepAlive: true,
    maxSockets: tuning.maxSocketsPerOrigin,
    maxFreeSockets: tuning.maxFreeSocketsPerOrigin,
    maxTotalSockets: tuning.maxSockets,
    timeout: IDLE_SOCKET_TIMEOUT_MS,
    scheduling: 'lifo',
  };
}

const IDLE_SOCKET_TIMEOUT_MS = 30_000;

function pinnedLookup(policy: EgressPolicy, port: number): LookupFunction {
  return (hostname, options, callback) => {
    policy.addressesFor(hostname, port).then(
      (addresses) => {
        if (options.all) (callback as unknown as (err: null, all: ResolvedAddress[]) => void)(null, addresses);
        else callback(null, addresses[0]!.address, addresses[0]!.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 0),
    );
  };
}

/**
 * Guards one agent's `createConnection`. Node's Agent accepts either a returned socket or one
 * passed to the callback, so a refusal is the callback's error and no socket is ever made.
 */
function guard(policy: EgressPolicy, defaultPort: number, create: (options: ConnectionOptions, oncreate: OnCreate) => Duplex | undefined) {
  return (options: ConnectionOptions, oncreate: OnCreate): Duplex | undefined => {
    const host = options.host ?? 'localhost';
    const port = Number(options.port ?? defaultPort);
    if (isIP(host)) {
      const refused = policy.refusal(host, port);
      if (!refused) return create(options, oncreate);
      // Asynchronously, as a failed connect would be: the request has its listeners by then.
      process.nextTick(oncreate, refused);
      return undefined;
    }
    return create({ ...options, lookup: pinnedLookup(policy, port) }, oncreate);
  };
}

export class GuardedHttpAgent extends http.Agent {
  constructor(policy: EgressPolicy, tuning: AgentTuning) {
    super(agentOptions(tuning));
    const base = http.Agent.prototype.createConnection.bind(this) as unknown as (options: ConnectionOptions, oncreate: OnCreate) => Socket;
    this.createConnection = guard(policy, 80, base) as never;
  }
}

export class GuardedHttpsAgent extends https.Agent {
  constructor(policy: EgressPolicy, tuning: AgentTuning) {
    super({ ...agentOptions(tuning), ...(tuning.ca ? { ca: tuning.ca } : {}) });
    const base = https.Agent.prototype.createConnection.bind(this) as unknown as (options: ConnectionOptions, oncreate: OnCreate) => Socket;
    this.createConnection = guard(policy, 443, base) as never;
  }
}
