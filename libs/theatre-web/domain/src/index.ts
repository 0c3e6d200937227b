export {
  DEFAULT_WEDGE_TIMINGS,
  GROUP_SEPARATOR,
  WedgeBurstDetector,
  wedgeInputOf,
  type WedgeDecision,
  type WedgeInput,
  type WedgeKey,
  type WedgeTimings,
} from './lib/scanner/wedge-burst.detector';
export {
  canonicalScan,
  displayableScan,
  subjectOfScan,
  type ScanSubject,
  type ScanTextOptions,
} from './lib/scanner/scan-text.util';
export {
  addBarcode,
  barcodesBody,
  EMPTY_LABEL,
  partOf,
  waiveProductionBarcode,
  type LabelPart,
  type LabelState,
  type ScannedBarcode,
} from './lib/label/label-assembly';
export { nhsNumberEntry, type NhsNumberEntry } from './lib/patient/nhs-number-input';
export {
  describePatient,
  NHS_NUMBER_UNAVAILABLE_REASONS,
  patientApiBody,
  patientFromWristband,
  patientWithoutNhsNumber,
  type PatientApiBody,
  type PatientIdentification,
  type UnavailableReading,
  type WristbandReading,
} from './lib/patient/patient-identification';
export {
  decideAttempt,
  OfflineQueue,
  type AttemptDecision,
  type DrainReport,
  type NewQueueEntry,
  type QueueEntry,
  type QueueEntryState,
  type QueuedKind,
  type QueueSender,
  type QueueStore,
  type SendResult,
} from './lib/offline/offline-queue';
export {
  isVerdict,
  presentLateVerdict,
  presentVerdict,
  VERDICTS,
  type Verdict,
  type VerdictPresentation,
  type VerdictSound,
  type VerdictTone,
} from './lib/verdict/verdict-presentation';
export {
  criteriaFromForm,
  EMPTY_CRITERIA_FORM,
  formFromCriteria,
  type CriteriaBody,
  type CriteriaForm,
  type CriteriaReading,
} from './lib/regulator/criteria-form';
export {
  EMPTY_SCOPE_COLUMNS,
  scopeQuery,
  type ScopeColumnsForm,
  type ScopeMode,
  type ScopeQueryReading,
} from './lib/regulator/scope-upload';
export {
  describeManualEntry,
  EMPTY_MANUAL_ENTRY,
  manualEntryFromForm,
  type ManualDeviceBody,
  type ManualEntryForm,
  type ManualEntryReading,
} from './lib/label/manual-entry';
