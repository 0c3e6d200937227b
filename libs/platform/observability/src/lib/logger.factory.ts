import type { Logger as PinoLogger } from 'pino';
import pino from 'pino';

import { maskNhsNumbersDeep, maskNhsNumbersIn } from './nhs-number-masking.util';
import { currentRequestContext } from './request-context.util';

export interface LoggerOptions {
  service: string;
  level: string;
  /** Where lines go; standard output by default (tests pass a capturing stream). */
  destination?: pino.DestinationStream;
}

/**
 * JSON logger: one line per event with service, request and correlation ids, NHS numbers
 * masked in the message and in every field.
 */
export function createLogger(options: LoggerOptions): PinoLogger {
  return pino(
    {
      level: options.level,
      base: { service: options.service },
      timestamp: pino.stdTimeFunctions.isoTime,
      messageKey: 'msg',
      mixin: () => ({ ...currentRequestContext() }),
      formatters: {
        level: (label) => ({ level: label }),
        log: (record) => maskNhsNumbersDeep(record) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          const masked = args.map((arg) => (typeof arg === 'string' ? maskNhsNumbersIn(arg) : arg));
          method.apply(this, masked as Parameters<typeof method>);
        },
      },
    },
    options.destination ?? pino.destination({ sync: false }),
  );
}
