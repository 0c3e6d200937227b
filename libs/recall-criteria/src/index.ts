export {
  compileCriteria,
  evaluateCriteria,
  normaliseName,
  type CriteriaMatcher,
} from './lib/recall-criteria.policy';
export { criteriaDeviceOf, deviceNotInCatalogue } from './lib/criteria-device.util';
export { isCalendarDate, validateCriteria } from './lib/criteria-validation.util';
export { InvalidCriteriaError } from './lib/recall-criteria.errors';
export {
  compareLengthThenText,
  isInvertedRange,
  isNumericSerial,
  serialInRange,
  serialRangeRule,
  type SerialRangeRule,
} from './lib/serial-order.util';
export * from './lib/recall-criteria.types';
