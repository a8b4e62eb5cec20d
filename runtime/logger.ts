/**
 * The one logger of every process (pino). LOG_FORMAT=json (the default) writes one JSON line per
 * event, for a log collector; LOG_FORMAT=pretty (what `npm start` gives its children) writes one
 * human-readable line per event through pino-pretty. Anything that could carry a secret is
 * redacted by path as a second line of defence; the first is never to log credentials at all.
 * It reads LOG_FORMAT and LOG_LEVEL through the configuration module, before a `main` has parsed
 * the rest: a process logs its configuration errors too.
 */
import pino, { type DestinationStream, type Logger } from 'pino';
import { prettyFactory } from 'pino-pretty';
import { processEnv } from './config/environment';

export type LogFormat = 'json' | 'pretty';
const FORMATS: readonly LogFormat[] = ['json', 'pretty'];

/** LOG_FORMAT, checked: a typo stops the process instead of silently logging another way. */
export function logFormatFromEnv(env: NodeJS.ProcessEnv = processEnv()): LogFormat {
  const format = env.LOG_FORMAT?.trim().toLowerCase() || 'json';
  if (!FORMATS.includes(format as LogFormat)) throw new Error(`LOG_FORMAT must be json or pretty, not "${env.LOG_FORMAT}"`);
  return format as LogFormat;
}

export interface LoggerOptions {
  /** Default: JSON when a destination is given (tests and tools read the lines back), else LOG_FORMAT. */
  format?: LogFormat;
  /** Pretty lines only: written before each line (the supervisor's `start   | `). */
  prefix?: string;
}

/** Where the lines go: stdout unless told otherwise (CLIs send their diagnostics to stderr: `process.stderr`). */
export function createLogger(service: string, destination?: DestinationStream, options: LoggerOptions = {}): Logger {
  const format = options.format ?? (destination ? 'json' : logFormatFromEnv());
  const settings = {
    base: { service },
    // Errors as type, message and stack under either key (the Temporal SDK's lines use `error`).
    serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
    level: processEnv().LOG_LEVEL ?? 'info',
    redact: { paths: ['credentials', '*.credentials', 'tokens', '*.tokens', 'headers.authorization', '*.headers.authorization', 'accessToken', 'refreshToken', 'clientSecret'], censor: '[redacted]' },
  };
  if (format === 'json') return pino(settings, destination);
  const out = destination ?? process.stdout;
  return pino(settings, prettyDestination(out, options.prefix ?? ''));
}

/**
 * pino-pretty in-process and synchronous: each JSON line becomes one readable line (time, level,
 * message, then the other fields as compact JSON) before it is written. The service name is left
 * out: under `npm start` the supervisor's prefix names the process. Colours only on a terminal.
 */
function prettyDestination(out: DestinationStream, prefix: string): DestinationStream {
  const colorize = (out as { isTTY?: boolean }).isTTY === true && !processEnv().NO_COLOR;
  const prettify = prettyFactory({ colorize, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service', singleLine: true, errorLikeObjectKeys: ['err', 'error'] });
  // The prefix on every line of it: an error's stack spans several.
  return { write: (line: string) => void out.write(prefix ? prettify(line).replace(/^(?=.)/gm, prefix) : prettify(line)) };
}

/**
 * A command-line tool's diagnostics (store warnings, download progress): on stderr, so its result
 * on stdout stays clean for pipes. Readable on a terminal unless LOG_FORMAT says otherwise.
 */
export function createCliLogger(tool: string): Logger {
  return createLogger(tool, process.stderr, { format: processEnv().LOG_FORMAT ? logFormatFromEnv() : process.stderr.isTTY ? 'pretty' : 'json' });
}
