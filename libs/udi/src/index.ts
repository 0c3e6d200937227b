export { parseUdi, MAX_SCAN_LENGTH } from './lib/parse-udi';
export { formatGs1ElementString } from './lib/gs1/element-string.formatter';
export { formatGs1DigitalLink } from './lib/gs1/digital-link.formatter';
export { hibccLinkMatches } from './lib/hibcc/hibcc.parser';
export { UdiIssueCode, UDI_WARNING_CODES } from './lib/udi-issue-code';
export type {
  ParseUdiOptions,
  Udi,
  UdiClock,
  UdiElement,
  UdiFormat,
  UdiIssue,
  UdiIssuingAgency,
  UdiParseResult,
} from './lib/udi.types';
