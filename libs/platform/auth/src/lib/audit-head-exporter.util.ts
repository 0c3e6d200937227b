import type { OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { auditHeadExport } from './audit-chain.util';
import { AuditTrailRepository } from './audit-trail.repository';

export const AUDIT_HEAD_EXPORT = Symbol('AUDIT_HEAD_EXPORT');

export interface AuditHeadExportOptions {
  intervalSeconds: number;
  /** Key of the export's HMAC; without one the export is unsigned. */
  key: string | undefined;
}

/** The message every export's log line starts with, followed by the export as JSON. */
export const AUDIT_HEAD_LOG_MESSAGE = 'audit chain head';

/**
 * Logs the audit chain's head on a timer. The log store is outside the database, so someone
 * who cuts the chain's tail there cannot cut the exported heads too, and the keyed hash stops
 * them forging an export of a shorter chain.
 */
@Injectable()
export class AuditHeadExporter implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Audit');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    @Inject(AuditTrailRepository) private readonly trail: AuditTrailRepository,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(AUDIT_HEAD_EXPORT) private readonly options: AuditHeadExportOptions,
  ) {}

  onModuleInit(): void {
    if (this.options.key === undefined) {
      this.logger.warn('audit chain heads are exported unsigned: set AUDIT_HEAD_HMAC_KEY');
    }
    this.timer = setInterval(() => {
      this.running ??= this.exportHead().finally(() => {
        this.running = undefined;
      });
    }, this.options.intervalSeconds * 1000);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private async exportHead(): Promise<void> {
    try {
      const head = await this.trail.head();
      if (head === null) return;
      const exported = auditHeadExport(
        String(this.dataSource.driver.schema),
        head,
        new Date(),
        this.options.key,
      );
      this.logger.log(`${AUDIT_HEAD_LOG_MESSAGE} ${JSON.stringify(exported)}`);
    } catch (error) {
      this.logger.error(`audit chain head not exported: ${String(error)}`);
    }
  }
}
