export type {
  NhsNumber,
  NhsNumberOptions,
  NhsNumberReason,
  NhsNumberResult,
  TestNumberPolicy,
} from './lib/nhs-number/nhs-number.util';
export {
  formatNhsNumber,
  isTestNhsNumber,
  isValidNhsNumber,
  nhsNumberCheckDigit,
  parseNhsNumber,
} from './lib/nhs-number/nhs-number.util';
export { splitAroundHexIdentifiers } from './lib/hex-identifier/hex-identifier.util';
export { maskNhsNumber } from './lib/nhs-number/nhs-number-mask.util';
export {
  TEST_NHS_NUMBER_CAPACITY,
  testNhsNumber,
} from './lib/nhs-number/nhs-number-test-data.util';

export type { OdsCodeKind, OdsCodeReason, OdsCodeResult } from './lib/ods/ods-code.util';
export { isOdsCodeShape, parseOdsCode } from './lib/ods/ods-code.util';

export type {
  WristbandGsrnOptions,
  WristbandGsrnReason,
  WristbandGsrnResult,
} from './lib/gsrn/wristband-gsrn.util';
export { encodeWristbandGsrn, parseWristbandGsrn } from './lib/gsrn/wristband-gsrn.util';

export type { RandomFill, UuidV7Generator, UuidV7GeneratorOptions } from './lib/uuid/uuid-v7.util';
export { createUuidV7Generator, isUuidV7, uuidV7, uuidV7Timestamp } from './lib/uuid/uuid-v7.util';
