export { parseUdi, MAX_SCAN_LENGTH } from './lib/parse-udi';
export {
  inferIssuingAgency,
  lookupFormOf,
  normaliseAnyDeviceIdentifier,
  normaliseDeviceIdentifier,
  type IdentifierCheck,
} from './lib/device-identifier.util';
export { gs1CheckDigit, isValidGs1CheckDigit, mod43CheckCharacter } from './lib/check-digits.util';
export { formatGs1ElementString } from './lib/gs1/element-string.formatter';
export { formatGs1DigitalLink } from './lib/gs1/digital-link.formatter';
export { hibccLinkMatches } from './lib/hibcc/hibcc.parser';
export { UdiIssueCode, UDI_WARNING_CODES } from './lib/udi-issue-code';
export type {
  ParseUdiOptions,
  Udi,
  UdiElement,
  UdiFormat,
  UdiIssue,
  UdiIssuingAgency,
  UdiParseResult,
} from './lib/udi.types';
