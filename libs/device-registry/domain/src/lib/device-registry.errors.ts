import {
  ClinicallyInvalidError,
  ConflictError,
  type FieldProblem,
  InvalidInputError,
  NotFoundError,
  TooLargeError,
} from '@implant-trace/domain-kernel';

/** No device has the id or identifier asked for. */
export class DeviceNotFoundError extends NotFoundError {}

/** The identifiers or fields of a registration break the catalogue rules (check digits...). */
export class DeviceRulesBrokenError extends ClinicallyInvalidError {
  constructor(problems: readonly FieldProblem[]) {
    super('The device identifiers or fields break the catalogue rules', problems);
  }
}

/** An identifier of the registration already resolves to another device. */
export class DeviceIdentifierConflictError extends ConflictError {
  override readonly problemType = 'urn:implant-trace:problem:device-identifier-conflict';

  constructor(problems: readonly FieldProblem[]) {
    super('An identifier already belongs to another device', problems);
  }
}

/**
 * Another writer changed the same identifiers or devices at the same moment (PostgreSQL refused
 * the transaction with a unique violation, a deadlock or a serialization failure). Nothing of
 * the transaction was stored; deciding again on what the other writer committed is safe.
 */
export class ConcurrentCatalogueChangeError extends ConflictError {
  constructor() {
    super('The catalogue changed concurrently; nothing was stored, and a retry is safe');
  }
}

/** A search whose cursor or text cannot be used. */
export class InvalidDeviceSearchError extends InvalidInputError {
  constructor(problems: readonly FieldProblem[]) {
    super('The search is invalid', problems);
  }
}

/** The file is not one of the formats the importer reads; nothing was imported. */
export class ImportFormatError extends InvalidInputError {}

/** The file is larger than the importer accepts; the batches before the limit were applied. */
export class ImportTooLargeError extends TooLargeError {
  constructor(readonly maxBytes: number) {
    super(
      `Import files are limited to ${maxBytes} bytes; the batches before the limit were applied and a re-import is safe`,
    );
  }
}

/** The upload ended before the file did (the client went away); later rows were not read. */
export class ImportAbortedError extends InvalidInputError {
  constructor() {
    super('The upload ended before the end of the file; the batches before it were applied');
  }
}
