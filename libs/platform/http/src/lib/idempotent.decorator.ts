import { SetMetadata } from '@nestjs/common';

export const IDEMPOTENT = 'implant-trace:idempotent';

/**
 * Marks a write that clients may retry: it then requires an `Idempotency-Key` header, and a
 * retry with the same key and body gets the first answer instead of a second effect.
 */
export const Idempotent = (): MethodDecorator => SetMetadata(IDEMPOTENT, true);
