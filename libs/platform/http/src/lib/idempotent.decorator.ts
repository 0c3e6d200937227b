import { SetMetadata } from '@nestjs/common';

export const IDEMPOTENT = 'implant-trace:idempotent';

/**
 * Marks a write that clients may retry: it then requires an `Idempotency-Key` header, and a
 * retry with the same key and body gets the first answer instead of a second effect. The
 * handler runs inside a transaction that its use cases join by writing through `UnitOfWork`
 * (`@implant-trace/platform-database`), so the effect and the completed key commit together;
 * a write that bypasses it holds a second connection and is not covered by that guarantee.
 */
export const Idempotent = (): MethodDecorator => SetMetadata(IDEMPOTENT, true);
