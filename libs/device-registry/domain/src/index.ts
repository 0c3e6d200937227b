export * from './lib/device-record.types';
export {
  ConcurrentCatalogueChangeError,
  DeviceIdentifierConflictError,
  DeviceNotFoundError,
  DeviceRulesBrokenError,
  ImportAbortedError,
  ImportFormatError,
  ImportTooLargeError,
  InvalidDeviceSearchError,
} from './lib/device-registry.errors';
export {
  buildDeviceDraft,
  primaryOf,
  type DeviceDraftInput,
  type DraftResult,
} from './lib/device-draft.util';
export {
  compareIdentifiers,
  decideChange,
  decideIdentifierAddition,
  decideUpsert,
  identifiersOf,
  type CatalogueView,
  type ChangeContext,
  type ChangeOutcome,
  type IdentifierConflict,
} from './lib/device-change.policy';
export {
  createImportRowParser,
  type HeaderResult,
  type ImportFormat,
  type ImportRowParser,
  type RowResult,
} from './lib/import-row.parser';
export {
  decodeSearchCursor,
  encodeSearchCursor,
  freeTextQuery,
  SEARCH_LIMIT_DEFAULT,
  SEARCH_LIMIT_MAX,
} from './lib/device-search.util';
