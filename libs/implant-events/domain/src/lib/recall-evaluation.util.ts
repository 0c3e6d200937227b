import type { RecallCriteriaValue } from '@implant-trace/contracts';
import type { CriteriaDevice, CriteriaMatcher } from '@implant-trace/recall-criteria';
import { compileCriteria, deviceNotInCatalogue } from '@implant-trace/recall-criteria';

import type { RecallEvaluation, ReplicaDevice } from './scan-check.types';

function criteriaDeviceOf(device: ReplicaDevice): CriteriaDevice {
  return {
    inCatalogue: true,
    identifiers: device.identifiers,
    manufacturer: device.manufacturer,
    ...(device.catalogNumber === undefined ? {} : { catalogNumber: device.catalogNumber }),
    ...(device.model === undefined ? {} : { model: device.model }),
  };
}

/**
 * Every scan evaluates the same open recalls, held by the index cache as the same objects until
 * the index changes: each is validated and compiled once, not once per scan.
 */
const compiled = new WeakMap<RecallCriteriaValue, CriteriaMatcher>();

function matcherOf(criteria: RecallCriteriaValue): CriteriaMatcher {
  let matcher = compiled.get(criteria);
  if (matcher === undefined) {
    matcher = compileCriteria(criteria);
    compiled.set(criteria, matcher);
  }
  return matcher;
}

/**
 * The scan check's recall evaluation: the shared recall-criteria rules applied to the unit in
 * hand (active by definition), with its label's production identifiers and what the catalogue
 * says the label carries. A device the replica does not hold is selected only by a recall
 * naming the scanned identifier itself.
 */
export const recallCriteriaEvaluation: RecallEvaluation = (criteria, { udi, device }) => {
  // Every open recall is undecidable for an identifier the catalogue does not know; the scan
  // then answers UNKNOWN_DEVICE (never OK) rather than list them all as possible.
  const named = criteria.deviceIdentifiers?.includes(udi.deviceIdentifier ?? '') ?? false;
  if (device === undefined && !named) return undefined;
  const outcome = matcherOf(criteria).evaluate({
    device:
      device === undefined
        ? deviceNotInCatalogue(udi.deviceIdentifier ?? '')
        : criteriaDeviceOf(device),
    status: 'active',
    ...(udi.lotNumber === undefined ? {} : { lotNumber: udi.lotNumber }),
    ...(udi.serialNumber === undefined ? {} : { serialNumber: udi.serialNumber }),
    ...(udi.manufactureDate === undefined ? {} : { manufactureDate: udi.manufactureDate }),
    ...(udi.expirationDate === undefined ? {} : { expirationDate: udi.expirationDate }),
    ...(device === undefined ? {} : { labelCarries: device.labelCarries }),
  });
  switch (outcome.kind) {
    case 'matched':
      return 'matched';
    case 'possible':
      return 'possible';
    case 'not-matched':
      return undefined;
  }
};
