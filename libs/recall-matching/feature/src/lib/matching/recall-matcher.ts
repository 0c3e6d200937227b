import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import type { PatientValue, RecallDetailsValue, UdiValue } from '@implant-trace/contracts';
import {
  compileCriteria,
  type CriteriaMatcher,
  type RecallCriteria,
} from '@implant-trace/recall-criteria';
import {
  criteriaSubjectOf,
  type MatchKind,
  type ProjectedStatus,
} from '@implant-trace/recall-matching-domain';

import { CatalogueReplicaRepository } from '../catalogue-replica/catalogue-replica.repository';
import { candidateDevicesQuery, matchingImplantsQuery, type MatchScope } from './criteria-sql.util';
import {
  MatchLedgerRepository,
  type DesiredMatch,
  type LedgerChanges,
} from './match-ledger.repository';

type MatchedRow = {
  implant_id: string;
  hospital_ods: string;
  patient: PatientValue;
  udi: UdiValue;
  kind: MatchKind;
};

type ImplantRow = {
  implant_id: string;
  hospital_ods: string;
  patient: PatientValue | null;
  udi: UdiValue | null;
  device_identifier: string | null;
  device_id: string | null;
  lot_number: string | null;
  serial_number: string | null;
  manufacture_date: string | null;
  expiration_date: string | null;
  status: ProjectedStatus;
};

/** The open recalls, by the partial index recalls_open. */
export const OPEN_RECALLS_SQL = `SELECT details, updated_at FROM recalls WHERE status = 'open' ORDER BY issued_at`;

/** Implants with what criteria need of them. */
export const IMPLANTS_SQL = `SELECT * FROM implants WHERE implant_id = ANY($1::uuid[])`;

const orUndefined = (value: string | null) => value ?? undefined;

/**
 * Decides which implants each open recall covers and hands the difference to the ledger. A
 * recall (issued or changed) is matched in SQL against every implant its devices could cover;
 * an implant's own event is matched in memory against the open recalls (tens), with the same
 * criteria evaluation the scan check uses; a device record matches its identifiers' implants
 * again in SQL. Every path gives the same verdict on an implant, so the order in which facts
 * arrive cannot change the matches.
 */
@Injectable()
export class RecallMatcher {
  private readonly compiled = new Map<string, { updatedAt: string; matcher: CriteriaMatcher }>();

  constructor(
    @Inject(MatchLedgerRepository) private readonly ledger: MatchLedgerRepository,
    @Inject(CatalogueReplicaRepository) private readonly catalogue: CatalogueReplicaRepository,
  ) {}

  /** Implants in scope that the criteria cover, each matched or possible. */
  async covered(
    tx: EntityManager,
    criteria: RecallCriteria,
    scope: MatchScope,
  ): Promise<DesiredMatch[]> {
    const query = matchingImplantsQuery(criteria, scope);
    const rows = (await tx.query(query.sql, query.parameters)) as MatchedRow[];
    return rows.map((row) => ({
      implantId: row.implant_id,
      hospitalOds: row.hospital_ods,
      kind: row.kind,
      patient: row.patient,
      udi: row.udi,
    }));
  }

  /** Every implant the criteria could cover: the candidate devices' and the unresolved ones. */
  async candidates(
    tx: EntityManager,
    criteria: RecallCriteria,
  ): Promise<Extract<MatchScope, { kind: 'candidates' }>> {
    const query = candidateDevicesQuery(criteria);
    const rows = (await tx.query(query.sql, query.parameters)) as { device_id: string }[];
    return { kind: 'candidates', deviceIds: rows.map((row) => row.device_id) };
  }

  /** A recall issued or changed: every implant it covers now, against every match it holds. */
  async matchRecall(tx: EntityManager, recall: RecallDetailsValue): Promise<LedgerChanges> {
    const scope = await this.candidates(tx, recall.criteria);
    const desired = await this.covered(tx, recall.criteria, scope);
    const held = await this.ledger.held(tx, recall.recallId);
    return this.ledger.reconcile(tx, recall.recallId, desired, held, 'criteria-narrowed');
  }

  /** A closed recall covers no one any more. */
  async withdrawAll(tx: EntityManager, recallId: string): Promise<LedgerChanges> {
    const held = await this.ledger.held(tx, recallId);
    return this.ledger.reconcile(tx, recallId, [], held, 'recall-closed');
  }

  /**
   * Implants recorded, explanted or corrected: against every open recall, in memory, one
   * reconciliation per recall for all of them. Each implant's verdict depends only on its own
   * row, its device record and the recall, so matching a run at once after it is applied
   * leaves what matching each implant after its own event would.
   */
  async matchImplants(tx: EntityManager, implantIds: readonly string[]): Promise<void> {
    const recalls = await this.openRecalls(tx);
    if (recalls.length === 0 || implantIds.length === 0) return;
    const implants = (await tx.query(IMPLANTS_SQL, [implantIds])) as ImplantRow[];
    const devices = await this.catalogue.devicesOf(
      tx,
      implants.flatMap((implant) => (implant.device_id === null ? [] : [implant.device_id])),
    );
    const subjects = implants.map((implant) => ({
      implant,
      subject:
        implant.device_identifier === null
          ? undefined
          : criteriaSubjectOf(
              {
                implantId: implant.implant_id,
                hospitalOds: implant.hospital_ods,
                deviceIdentifier: implant.device_identifier,
                lotNumber: orUndefined(implant.lot_number),
                serialNumber: orUndefined(implant.serial_number),
                manufactureDate: orUndefined(implant.manufacture_date),
                expirationDate: orUndefined(implant.expiration_date),
                status: implant.status,
              },
              implant.device_id === null ? undefined : devices.get(implant.device_id),
            ),
    }));
    for (const recall of recalls) {
      const matcher = this.matcherOf(recall);
      const desired: DesiredMatch[] = [];
      for (const { implant, subject } of subjects) {
        const outcome = subject === undefined ? undefined : matcher.evaluate(subject);
        if (
          outcome === undefined ||
          outcome.kind === 'not-matched' ||
          implant.patient === null ||
          implant.udi === null
        ) {
          continue;
        }
        desired.push({
          implantId: implant.implant_id,
          hospitalOds: implant.hospital_ods,
          kind: outcome.kind,
          patient: implant.patient,
          udi: implant.udi,
        });
      }
      const held = await this.ledger.held(tx, recall.details.recallId, { implantIds });
      await this.ledger.reconcile(tx, recall.details.recallId, desired, held, 'criteria-narrowed');
    }
  }

  /** A device record arrived or changed: the implants of every identifier it had or has. */
  async matchIdentifiers(tx: EntityManager, identifiers: readonly string[]): Promise<void> {
    if (identifiers.length === 0) return;
    for (const recall of await this.openRecalls(tx)) {
      const { recallId, criteria } = recall.details;
      const desired = await this.covered(tx, criteria, { kind: 'identifiers', identifiers });
      const held = await this.ledger.held(tx, recallId, { identifiers });
      await this.ledger.reconcile(tx, recallId, desired, held, 'device-record-changed');
    }
  }

  private async openRecalls(
    tx: EntityManager,
  ): Promise<{ details: RecallDetailsValue; updatedAt: string }[]> {
    const rows = (await tx.query(OPEN_RECALLS_SQL)) as {
      details: RecallDetailsValue;
      updated_at: Date;
    }[];
    return rows.map((row) => ({ details: row.details, updatedAt: row.updated_at.toISOString() }));
  }

  /** Compiled once per version of a recall: an implant event evaluates every open recall. */
  private matcherOf(recall: { details: RecallDetailsValue; updatedAt: string }): CriteriaMatcher {
    const cached = this.compiled.get(recall.details.recallId);
    if (cached?.updatedAt === recall.updatedAt) return cached.matcher;
    const matcher = compileCriteria(recall.details.criteria);
    this.compiled.set(recall.details.recallId, { updatedAt: recall.updatedAt, matcher });
    return matcher;
  }
}
