import type { Command } from 'commander';
import { pino, type Logger } from 'pino';
import { MAX_TIMER_MS } from './cli-args.js';
import { CliError, ExitCode } from './exit-codes.js';

/*
 * The log of the long-running commands (bootstrap, listen), on stderr:
 * stdout carries data (a connection's bytes, the "ready" line).
 *
 * pino does the levels and the JSON. In the default text format each line is
 * only the message, exactly the lines these commands have always printed
 * (scripts and tests read them); `--log-format json` gives pino's objects,
 * one per line, with the message in `msg`, the level as a word and the
 * line's fields. Writes are synchronous on fd 2, so nothing is lost when the
 * process exits right after a line.
 */

export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const LOG_FORMATS = ['text', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** Fields that a line carries in json mode (ignored in text mode). */
export type LogFields = Record<string, unknown>;

export interface Log {
  error(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  debug(msg: string, fields?: LogFields): void;
  enabled(level: LogLevel): boolean;
}

export interface LogConfig {
  level: LogLevel;
  format: LogFormat;
  /** Seconds between status lines; 0: only on SIGUSR1. */
  statusIntervalSec: number;
}

/** The options as commander hands them over. */
export interface LogCliOptions {
  logLevel: string;
  logFormat: string;
  statusInterval: string;
}

export const DEFAULT_STATUS_INTERVAL_SEC = 300;

/** Adds --log-level, --log-format and --status-interval to a long-running command. */
export function withLogOptions(command: Command): Command {
  return command
    .option('--log-level <level>', `least severe messages logged on stderr: ${LOG_LEVELS.join(', ')}`, 'info')
    .option('--log-format <format>', 'text: one plain line per message; json: one JSON object per line (pino)', 'text')
    .option('--status-interval <s>', 'seconds between status lines on stderr (0: only on SIGUSR1)', String(DEFAULT_STATUS_INTERVAL_SEC));
}

const usage = (message: string) => new CliError(message, ExitCode.usage);

/** Checks the three options; a bad value is a usage error before anything opens. */
export function parseLogOptions(opts: LogCliOptions): LogConfig {
  const level = opts.logLevel as LogLevel;
  if (!LOG_LEVELS.includes(level)) throw usage(`--log-level must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(opts.logLevel.slice(0, 40))}`);
  const format = opts.logFormat as LogFormat;
  if (!LOG_FORMATS.includes(format)) throw usage(`--log-format must be text or json, got ${JSON.stringify(opts.logFormat.slice(0, 40))}`);
  const maxSec = Math.floor(MAX_TIMER_MS / 1000);
  const text = opts.statusInterval;
  const statusIntervalSec = Number(text);
  if (!/^\d+$/.test(text) || statusIntervalSec > maxSec) {
    throw usage(`--status-interval must be whole seconds 0-${maxSec} (0: only on SIGUSR1), got ${JSON.stringify(text.slice(0, 40))}`);
  }
  return { level, format, statusIntervalSec };
}

/**
 * Never in a line, whatever a caller passes as fields: key material
 * (`identity` holds the secret key).
 */
const REDACT = ['secretKey', 'identity', 'seed', '*.secretKey', '*.identity', '*.seed'];

/** The logger for one command, on stderr. `dest`: for tests, another file descriptor. */
export function createLog(config: Pick<LogConfig, 'level' | 'format'>, { command, dest = 2 }: { command: string; dest?: number }): Log {
  const text = config.format === 'text';
  const logger: Logger = pino(
    {
      level: config.level,
      base: { pid: process.pid, cmd: command },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT, censor: '[redacted]' },
      // Text: the message alone, as these commands printed it before there was a logger.
      ...(text ? { hooks: { streamWrite: (line: string) => `${(JSON.parse(line) as { msg?: unknown }).msg ?? ''}\n` } } : {}),
    },
    pino.destination({ dest, sync: true }),
  );
  const at =
    (level: LogLevel) =>
    (msg: string, fields?: LogFields): void => {
      if (fields) logger[level](fields, msg);
      else logger[level](msg);
    };
  return {
    error: at('error'),
    warn: at('warn'),
    info: at('info'),
    debug: at('debug'),
    enabled: (level) => logger.isLevelEnabled(level),
  };
}
